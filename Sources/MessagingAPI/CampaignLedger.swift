import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateStore

/// The campaign send log as the send loop sees it: messages whose slot has come, inside their
/// recipients' sending hours and the channel's daily limit, checked against the consent ledger.
/// A message caught mid-request is looked up in the SMS provider's message list (found: sent;
/// not found: planned again); Viber has no such list, so it becomes `in_doubt` and is only sent
/// again with `resendInDoubt`, after a person checked.
final class CampaignLedger: SendLedger {
    let options: CampaignSender.Options
    let store: JobStore
    let settings: CampaignSettings
    let sms: SMSGateway?
    let viber: ViberGateway?
    var summary = CampaignSender.Summary()
    /// The schedule's clock at the start of the run.
    var now: Int64 = 0
    /// The sending hours around `now`, once settled.
    var windows: SendingWindows?
    var sentToday = [String: Int]()
    var cursor: (Int64, Int64) = (Int64.min, 0)
    let label = "campaign send"
    let retryHint = "nothing was lost: run the same command again later; lower the throttle if this repeats"

    init(options: CampaignSender.Options, store: JobStore) throws {
        self.options = options
        self.store = store
        let settings = try store.campaignSettings(options.campaign)
        self.settings = settings
        let http = HTTPClient(configuration: options.http)
        let pacer = { RatePacer(perSecond: settings.throttle[$0].map { Double($0.perSecond) }) }
        let trimmed = { (url: String) in url.hasSuffix("/") ? String(url.dropLast()) : url }
        sms = options.smsEndpoint.map {
            SMSGateway(
                base: trimmed($0), accountSID: options.smsAccountSID, authToken: options.smsAuthToken,
                from: options.smsFrom, http: http, pacer: pacer("sms"))
        }
        viber = options.viberEndpoint.map {
            ViberGateway(
                base: trimmed($0), token: options.viberToken, sender: options.viberSender, http: http, pacer: pacer("viber"))
        }
        summary.campaign = settings.name
    }

    func begin() throws {
        now = options.now()
        windows = SendingWindows(hours: settings.hours, from: now - 86_400, days: 3)
        let day = now - now % 86_400
        for channel in ["sms", "viber"] {
            sentToday[channel] = try store.sentCount(settings.name, channel: channel, from: day, to: day + 86_400)
        }
    }

    func nextBatch() throws -> [OutboundMessage] {
        let batch = try store.dueMessages(settings.name, now: now, after: cursor, limit: 500)
        cursor = batch.last.map { ($0.sendAt, $0.id) } ?? cursor
        return batch
    }

    func admit(_ message: OutboundMessage, sentSoFar: Int) throws -> Admission<OutboundMessage> {
        guard let channel: any SendChannel<OutboundMessage> = message.channel == "sms" ? sms : viber else {
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

    func ready(_ message: OutboundMessage) throws -> OutboundMessage? {
        let tally = try store.consentTally(addresses: message.addresses, policy: settings.policy)
        guard tally.state == .optedOut else { return message }
        try store.markOutcome(message.id, state: .suppressed, reason: "opted_out", at: options.now())
        summary.suppressed["opted_out", default: 0] += 1
        return nil
    }

    func markSending(_ message: OutboundMessage) throws -> Bool {
        guard try store.markSending(message.id, at: options.now()) else { return false }
        sentToday[message.channel, default: 0] += 1
        return true
    }

    func markSent(_ message: OutboundMessage, providerID: String) throws {
        try store.markOutcome(message.id, state: .sent, providerID: providerID, at: options.now())
        summary.sent += 1
    }

    func markRefused(_ message: OutboundMessage, code: String, reason: String, optOut: ConsentEvent?) throws {
        try store.markOutcome(message.id, state: .failed, errorCode: code, reason: reason, at: options.now(), optOut: optOut)
        summary.failed[reason, default: 0] += 1
    }

    func markPlanned(_ message: OutboundMessage, reason: String?) throws {
        try store.markOutcome(message.id, state: .planned, reason: reason, at: options.now())
    }

    func retrying(_ message: OutboundMessage) { summary.retries += 1 }

    /// The campaign log keeps no time per attempt.
    func markRetry(_ message: OutboundMessage) throws {}

    func answerLost(_ message: OutboundMessage) throws { try settle(message) }

    func end() throws {
        let upcoming = try store.upcoming(settings.name, now: now)
        summary.notYetDue = upcoming.count
        summary.nextSlot = upcoming.next.map { ISOTime.string($0) }
    }
}
