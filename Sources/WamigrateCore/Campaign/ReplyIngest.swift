import Foundation
import WamigrateModel

/// What `campaign replies` did with a file.
public struct ReplySummary: Codable, Sendable {
    public var read = 0
    /// New inbound messages by class: opt_in, opt_out, help, other.
    public var messages: [String: Int] = [:]
    /// Already ingested (the same message: sender, id, time and body): nothing appended.
    public var duplicates = 0
    /// From addresses that are no contact of this job (opt-outs are still recorded).
    public var unknownSenders = 0
    /// Replies that answer a campaign message.
    public var answeringCampaign = 0
    public var statusesApplied = 0
    public var statusesUnmatched = 0
    public var skippedOutbound = 0
    public var consentEventsAdded = 0

    public mutating func add(_ other: ReplySummary) {
        read += other.read
        messages.merge(other.messages, uniquingKeysWith: +)
        duplicates += other.duplicates
        unknownSenders += other.unknownSenders
        answeringCampaign += other.answeringCampaign
        statusesApplied += other.statusesApplied
        statusesUnmatched += other.statusesUnmatched
        skippedOutbound += other.skippedOutbound
        consentEventsAdded += other.consentEventsAdded
    }
}

/// campaign replies: stores every inbound message once, classifies it by the
/// keyword book (whole message, case-insensitive), links it to the campaign
/// message it answers (Viber: by tracking_data; SMS: the last one sent to that
/// number before the reply) and appends opt-ins and opt-outs to the consent
/// ledger with the wording that was shown. Delivery statuses update the send log.
public struct ReplyIngest {
    public var keywords: KeywordBook
    /// The time recorded for replies whose source gives none (Unix seconds).
    public var now: Int64

    public init(keywords: KeywordBook, now: Int64) {
        self.keywords = keywords
        self.now = now
    }

    public func ingest(_ parsed: InboundFile.Parsed, store: any ConsentLedgerStore) throws -> ReplySummary {
        var summary = ReplySummary()
        summary.read = parsed.events.count
        summary.skippedOutbound = parsed.skippedOutbound
        try store.recordReplies { ledger in
            for event in parsed.events {
                switch event.kind {
                case .status(let status):
                    if try ledger.applyDelivery(status, providerID: event.providerID, channel: event.channel) {
                        summary.statusesApplied += 1
                    } else {
                        summary.statusesUnmatched += 1
                    }
                case .unsubscribed:
                    guard let address = event.address else { continue }
                    var optOut = ConsentEvent(
                        address: address, contactID: try ledger.contactID(address: address), channel: .viber, kind: .optOut,
                        at: event.at ?? now, recordedAt: now, method: .viberUnsubscribed, ref: "viber:\(event.providerID)")
                    optOut.evidence = "viber unsubscribed webhook (\(event.origin))"
                    if try ledger.append(optOut) { summary.consentEventsAdded += 1 }
                case .message(let body):
                    try message(ledger, event: event, body: body, summary: &summary)
                }
            }
        }
        return summary
    }

    private func message(_ ledger: ReplyLedger, event: InboundEvent, body: String, summary: inout ReplySummary) throws {
        guard let address = event.address else { return }
        let contact = try ledger.contactID(address: address)
        if contact == nil { summary.unknownSenders += 1 }
        let answered = try ledger.answeredMessage(contact: contact, channel: event.channel, tracking: event.tracking)
        let (kind, keyword) = keywords.classify(body)
        let at = event.at ?? now
        let key = event.messageKey
        let new = try ledger.recordInbound(
            channel: event.channel, providerID: event.providerID, key: key, address: address, contact: contact, at: at,
            body: body,
            kind: kind.rawValue, keyword: keyword, answered: answered, origin: event.origin, button: event.button)
        guard new else {
            summary.duplicates += 1
            return
        }
        summary.messages[kind.rawValue, default: 0] += 1
        if answered != nil { summary.answeringCampaign += 1 }
        guard kind == .optIn || kind == .optOut else { return }
        var consent = ConsentEvent(
            address: address, contactID: contact, channel: event.channel, kind: kind == .optIn ? .optIn : .optOut, at: at,
            recordedAt: now, method: answered == nil ? .keywordReply : .campaignReply,
            ref: "\(event.channel.rawValue):\(event.providerID):\(key)")
        consent.keyword = keyword
        var evidence = "inbound \(event.channel.rawValue) message \(event.providerID) (\(event.origin))"
        if let answered {
            consent.wording = answered.text
            consent.wordingVersion = answered.version
            consent.campaign = answered.campaign
            evidence += "; answers \(answered.providerID ?? answered.idempotencyKey ?? "?")"
        }
        consent.evidence = evidence
        if try ledger.append(consent) { summary.consentEventsAdded += 1 }
    }
}
