import WamigrateBase
import WamigrateCore
import WamigrateModel

/// The campaign send log: messages whose slot has come, inside their recipients' sending hours
/// and the channel's daily limit, checked against the consent ledger. A message caught
/// mid-request is looked up in the SMS provider's message list (found: sent; not found: planned
/// again); Viber has no such list, so it becomes `in_doubt` and is only sent again with
/// `resendInDoubt`, after a person checked.
extension CampaignSender: SendLedger {
    var retryHint: String { "nothing was lost: run the same command again later; lower the throttle if this repeats" }

    func begin() throws {
        now = options.now()
        windows = SendingWindows(hours: settings.hours, from: now - 86_400, days: 3)
        let day = now - now % 86_400
        for channel in Channel.campaign {
            sentToday[channel] = try store.sentCount(settings.name, channel: channel, from: day, to: day + 86_400)
        }
    }

    func nextBatch() throws -> [OutboundMessage] {
        let batch = try store.dueMessages(settings.name, now: now, after: cursor, limit: 500)
        cursor = batch.last.map { ($0.sendAt, $0.id) } ?? cursor
        return batch
    }

    func admit(_ message: OutboundMessage, sentSoFar: Int) throws -> Admission<OutboundMessage> {
        guard let channel: any SendChannel<OutboundMessage> = message.channel == .sms ? sms : viber else {
            summary.waitingNoEndpoint += 1
            return .wait
        }
        guard windows?.allows(zones: message.zones, at: now) == true else {
            summary.waitingQuietHours += 1
            return .wait
        }
        if let perDay = settings.throttle[message.channel]?.perDay, sentToday[message.channel, default: 0] >= perDay {
            summary.waitingDailyLimit += 1
            return .wait
        }
        return .send(via: channel)
    }

    func claim(_ message: OutboundMessage, retry: Bool) throws -> OutboundMessage? {
        if try store.consentTally(addresses: message.addresses, policy: settings.policy).state == .optedOut {
            try store.markOutcome(message.id, state: .suppressed, reason: .optedOut, at: options.now())
            summary.suppressed[MessageReason.optedOut.rawValue, default: 0] += 1
            return nil
        }
        if retry { return message }
        let limit = settings.throttle[message.channel]?.perDay.map {
            DailyLimit(campaign: settings.name, channel: message.channel, day: now - now % 86_400, perDay: $0)
        }
        switch try store.markSending(message.id, at: options.now(), within: limit) {
        case .claimed:
            sentToday[message.channel, default: 0] += 1
            return message
        case .taken:
            return nil
        case .dailyLimitReached:  // other senders of the campaign used the rest of the day
            summary.waitingDailyLimit += 1
            sentToday[message.channel] = limit?.perDay
            return nil
        }
    }

    func markSent(_ message: OutboundMessage, providerID: String) throws {
        try store.markOutcome(message.id, state: .sent, providerID: providerID, at: options.now())
        summary.sent += 1
    }

    func markRefused(_ message: OutboundMessage, code: String, reason: MessageReason, optOut: ConsentEvent?) throws {
        try store.markOutcome(message.id, state: .failed, errorCode: code, reason: reason, at: options.now(), optOut: optOut)
        summary.failed[reason.rawValue, default: 0] += 1
    }

    func markPlanned(_ message: OutboundMessage, reason: MessageReason?) throws {
        try store.markOutcome(message.id, state: .planned, reason: reason, at: options.now())
    }

    func answerLost(_ message: OutboundMessage) throws { try settle(message) }

    func end(retries: Int) throws {
        let upcoming = try store.upcoming(settings.name, now: now)
        summary.notYetDue = upcoming.count
        summary.nextSlot = upcoming.next.map { ISOTime.string($0) }
        summary.retries = retries
    }

    /// Settles what a crashed (or answer-less) run left in `sending`, and `in_doubt` messages.
    func settleOpen() throws {
        let open =
            try store.campaignMessages(options.campaign, state: .sending)
            + store.campaignMessages(options.campaign, state: .inDoubt)
        for message in open { try settle(message) }
    }

    /// SMS: looked up in the provider's message list. Viber: held in doubt, or planned with `resendInDoubt`.
    func settle(_ message: OutboundMessage) throws {
        let now = options.now()
        if message.channel == .sms {
            guard let sms else { return }
            let found = try sms.find(to: message.address, body: message.text, since: (message.sendingAt ?? now) - 86_400)
            if let sid = found {
                try store.markOutcome(message.id, state: .sent, providerID: sid, reason: .recovered, at: now)
                summary.recoveredSent += 1
            } else {
                try store.markOutcome(message.id, state: .planned, reason: nil, at: now)
                summary.recoveredPlanned += 1
            }
        } else if options.resendInDoubt {
            try store.markOutcome(message.id, state: .planned, reason: .resendInDoubt, at: now)
            summary.recoveredPlanned += 1
        } else {
            if message.state != .inDoubt {
                try store.markOutcome(message.id, state: .inDoubt, reason: .noAnswerViber, at: now)
            }
            summary.inDoubt += 1
        }
    }
}
