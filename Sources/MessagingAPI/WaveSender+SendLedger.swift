import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateModel

/// The wave send log: planned messages in order, capped by the messaging limit (unique
/// recipients per rolling 24 h). Before each request it takes in what the receiver spooled, so a
/// STOP or a template stop reaches the next message. A lost answer leaves the message `in_doubt`
/// until its status webhook settles it (they echo its key in `biz_opaque_callback_data`); it is
/// planned again only when the settle window passed with no status for it while statuses for
/// later messages did arrive, or with `resendInDoubt` after a person checked.
extension WaveSender: SendLedger {
    var retryHint: String {
        "nothing was lost or sent twice: run the same command again later; lower --rate if this repeats"
    }

    /// The template as the webhooks last reported it: still approved, and its category now (a
    /// completed re-categorization changes the route, contracts §8.2); then the messaging limit.
    func begin() throws {
        let template = try checkTemplate(sentSoFar: 0)
        category = try (template?.category ?? store.wave(options.wave).category).uppercased()
        gateway.marketing = options.marketingMessagesAPI && category == "MARKETING"
        summary.route = gateway.marketing ? "marketing_messages" : "messages"
        started = Date()
        var tier = settings.tier
        if settings.tierSource != "--tier", let limit = try store.platformLimit() {
            tier = limit.tier  // the platform's newest word, which may have changed since the plan
            summary.tierSource = limit.described
        } else {
            summary.tierSource = settings.tierSource ?? "--tier"
        }
        try store.recordWaveLimit(settings.name, tier: tier, source: summary.tierSource)
        self.tier = tier
        if let tier {
            allowance = max(0, tier - (try store.waveRecipients(since: options.now() - 86_400)))
        }
    }

    func nextBatch() throws -> [WaveItem] {
        let batch = try store.plannedTemplates(settings.name, after: cursor, limit: 500)
        cursor = batch.last?.id ?? cursor
        return batch.map { WaveItem(message: $0, address: .number($0.e164)) }
    }

    func admit(_ item: WaveItem, sentSoFar: Int) throws -> Admission<WaveItem> {
        guard sentSoFar >= allowance else { return .send(via: gateway) }
        try limitReached()
        return .stop
    }

    /// The messaging limit is used up: what waits for it, and when the next recipient fits.
    func limitReached() throws {
        summary.waitingLimit = try store.waveStatus(settings.name).byState[MessageState.planned.rawValue] ?? 0
        let oldest = try store.oldestWaveSend(since: options.now() - 86_400)
        summary.nextSlot = oldest.map { ISOTime.string($0 + 86_400) }
    }

    /// Takes in what the receiver spooled since the last look; the ledger (opted out, or consent
    /// that no longer counts) and the address (`WaveAddressing`) may hold the message.
    func claim(_ item: WaveItem, retry: Bool) throws -> WaveItem? {
        if Date().timeIntervalSince(lastTakeIn) >= options.webhookInterval, try spoolWatch.hasNew() {
            try takeInWebhooks()
            // PAUSED, DISABLED or quality RED since the last message (taken in by this run or by a
            // receiver that processes beside it): stop before the next one.
            _ = try checkTemplate(sentSoFar: summary.sent)
        }
        let (id, e164) = (item.message.id, item.message.e164)
        let tally = try store.consentTally(addresses: item.message.addresses, policy: settings.policy)
        let state = tally.state(forCategory: category)
        var hold: MessageReason? =
            state == .optedOut
            ? .optedOut : tally.whatsappState(forCategory: category) != .optedIn ? .consentNotCounted : nil
        var address = item.address
        if hold == nil, !retry {
            switch WaveAddressing.decide(e164: e164, move: try store.numberMove(from: e164), category: category) {
            case .send(let to): address = to
            case .hold(let reason): hold = reason
            }
        }
        if let hold {
            try store.markTemplateOutcome(id, state: .suppressed, reason: hold, at: options.now())
            summary.suppressed[hold.rawValue, default: 0] += 1
            return nil
        }
        if retry {
            try store.markTemplateRetry(id, at: options.now())
        } else if try !store.markTemplateSending(id, at: options.now()) {
            return nil
        }
        return WaveItem(message: item.message, address: address)
    }

    func markSent(_ item: WaveItem, providerID: String) throws {
        try store.markTemplateOutcome(item.message.id, state: .sent, wamid: providerID, at: options.now())
        summary.sent += 1
        if case .user = item.address { summary.sentToUserID += 1 }
    }

    func markRefused(_ item: WaveItem, code: String, reason: MessageReason, optOut: ConsentEvent?) throws {
        try store.markTemplateOutcome(item.message.id, state: .failed, errorCode: code, reason: reason, at: options.now())
        summary.refused[reason.rawValue, default: 0] += 1
        if let optOut { try store.appendConsent([optOut]) }
    }

    func markPlanned(_ item: WaveItem, reason: MessageReason?) throws {
        try store.markTemplateOutcome(item.message.id, state: .planned, reason: reason, at: options.now())
    }

    func answerLost(_ item: WaveItem) throws {
        let now = options.now()
        try store.markTemplateRetry(item.message.id, at: now)  // the settle window starts when the answer was lost
        try store.markTemplateOutcome(item.message.id, state: .inDoubt, reason: .noAnswer, at: now)
        summary.answersLost += 1
        doubted.insert(item.message.id)
    }

    func end(retries: Int) throws {
        // Where senders share a job, the store hands out no more than the limit leaves (every
        // sender counted), so the batches may run out before `admit` sees the limit.
        if let tier, summary.nextSlot == nil, try store.waveRecipients(since: options.now() - 86_400) >= tier {
            try limitReached()
        }
        try settleOpen()
        summary.recoveredSent = try store.settledByWebhook(doubted)
        summary.inDoubt = try store.waveCount(settings.name, state: .inDoubt)
        if settings.rollout != nil {
            let released = try store.wave(settings.name).released
            summary.waitingGate = try store.rolloutCells(settings.name, measuredBefore: 0).filter { $0.cohort >= released }
                .reduce(0) { $0 + $1.planned }
        }
        summary.seconds = Date().timeIntervalSince(started)
        summary.perSecond = summary.seconds > 0 ? Double(summary.sent) / summary.seconds : 0
        summary.retries = retries
    }

    /// Settles what a crashed run left in `sending`, and `in_doubt` messages: sent when a
    /// status webhook names the message's key (taking in webhooks may have done it);
    /// planned again with `resendInDoubt`, or when the settle window passed with no status
    /// for it while statuses for messages sent later did arrive; otherwise in doubt.
    func settleOpen() throws {
        let open =
            try store.waveMessages(options.wave, state: .sending) + store.waveMessages(options.wave, state: .inDoubt)
        doubted.formUnion(open.map(\.id))
        try takeInWebhooks()
        let states = try store.waveMessageStates(open.map(\.id))
        let now = options.now()
        for message in open where states[message.id] != .sent {  // a status webhook just taken in settled those
            if let wamid = try store.wamid(callback: message.idempotencyKey) {
                try store.markTemplateOutcome(message.id, state: .sent, wamid: wamid, reason: .settledByWebhook, at: now)
                continue
            }
            let sentAt = message.sendingAt ?? 0
            // Whole seconds on both sides: strictly more than the window means at least the window passed.
            let windowPassed =
                try Double(now - sentAt) > options.settleSeconds
                && store.statusArrived(wave: options.wave, sentFrom: sentAt, other: message.id)
            if options.resendInDoubt || windowPassed {
                let reason: MessageReason = options.resendInDoubt ? .resendInDoubt : .noStatusInSettleWindow
                try store.markTemplateOutcome(message.id, state: .planned, reason: reason, at: now)
                summary.recoveredPlanned += 1
            } else if message.state == .sending {
                try store.markTemplateOutcome(message.id, state: .inDoubt, reason: .noAnswer, at: now)
            }
        }
    }
}
