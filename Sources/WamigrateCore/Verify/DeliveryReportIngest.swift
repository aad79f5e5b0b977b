import Crypto
import Foundation
import WamigrateBase
import WamigrateModel

/// What the delivery-report verifier read and learned.
public struct DeliveryReportSummary: Codable, Sendable {
    public var files: [String: String] = [:]  // name → SHA-256
    public var lines = 0
    public var statuses = 0
    /// Statuses whose recipient matches no contact (kept in the count, not guessed).
    public var unmatched = 0
    public var onWhatsApp = 0
    public var notOnWhatsApp = 0
    /// Contacts whose statuses said nothing about registration, by reason (131049, 131050, sent, ...).
    public var noChange: [String: Int] = [:]
}

/// delivery-report: learns registration from what happened to messages sent.
/// The latest decisive status per contact wins; `recipient_id` is a wa_id, so
/// it is matched through the Brazilian and Mexican forms as well as the digits.
struct DeliveryReportIngest {
    var files: [String]

    func run(store: any DeliveryEvidenceStore) throws -> DeliveryReportSummary {
        var summary = DeliveryReportSummary()
        var events: [DeliveryStatus] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw WamigrateError(
                    .inputMissing, "delivery report not found", hint: "check the --reports path", at: .init(file: file))
            }
            summary.files[(file as NSString).lastPathComponent] = Hex.string(SHA256.hash(data: data))
            let text = String(decoding: data, as: UTF8.self)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                summary.lines += 1
                events += try DeliveryStatus.parse(line: Substring(trimmed), number: index + 1, file: file)
            }
        }
        summary.statuses = events.count
        try Self.apply(events, to: store, verifier: "delivery-report", summary: &summary)
        return summary
    }

    /// Registration from every status: per contact, the statuses in time order; the
    /// latest delivery wins unless different messages failed with 131026 since.
    /// `bulk` loads every contact's number once (a file of many statuses); otherwise each
    /// recipient is looked up (a few webhook statuses against a large job).
    static func apply(
        _ events: [DeliveryStatus], to store: any DeliveryEvidenceStore, verifier: String, bulk: Bool = true,
        summary: inout DeliveryReportSummary
    ) throws {
        try store.recordDeliveryEvidence(verifier: verifier) { registrations in
            let numbers = bulk ? try registrations.numberIndex() : nil
            func find(_ waID: String) throws -> String? {
                if let numbers { return Self.match(waID, in: numbers) }
                for candidate in [waID] + WaIDForms.alternatives(waID) {
                    if let e164 = try registrations.number(waID: candidate) { return e164 }
                }
                return nil
            }
            var byNumber: [String: [DeliveryStatus]] = [:]
            for event in events {
                guard let e164 = try find(event.recipient) else {
                    summary.unmatched += 1
                    continue
                }
                byNumber[e164, default: []].append(event)
            }
            for (e164, list) in byNumber {
                let ordered = list.sorted { ($0.timestamp, $0.line) < ($1.timestamp, $1.line) }
                let lastDelivered = ordered.lastIndex(where: \.delivered)
                let failuresSince = ordered[(lastDelivered.map { $0 + 1 } ?? 0)...].filter(\.undeliverable)
                let failedMessages = Set(failuresSince.map { $0.messageID ?? "line \($0.line)" })
                if failedMessages.count >= DeliveryStatus.undeliverableVerdict, let last = failuresSince.last {
                    let reason = "\(last.reason) on \(failedMessages.count) messages"
                    try registrations.decide(
                        e164, status: .notOnWhatsApp, answer: last.reason, waID: nil, userID: nil, at: last.timestamp,
                        reason: reason)
                    summary.notOnWhatsApp += 1
                } else if let index = lastDelivered {
                    let last = ordered[index]
                    try registrations.decide(
                        e164, status: .onWhatsApp, answer: last.reason, waID: last.recipient,
                        userID: ordered.last(where: { $0.userID != nil })?.userID, at: last.timestamp, reason: last.reason)
                    summary.onWhatsApp += 1
                } else if let last = failuresSince.last {
                    let reason = "undeliverable once (\(last.reason)): evidence, not a verdict"
                    try registrations.note(e164, answer: last.reason, at: last.timestamp, reason: reason)
                    summary.noChange[last.reason, default: 0] += 1
                } else if let last = ordered.last {
                    try registrations.note(e164, answer: last.reason, at: last.timestamp, reason: "no change: " + last.reason)
                    summary.noChange[last.reason, default: 0] += 1
                }
            }
        }
    }

    /// The contact for a wa_id: its digits, else the same subscriber's other form.
    static func match(_ waID: String, in index: [String: String]) -> String? {
        if let direct = index[waID] { return direct }
        return WaIDForms.alternatives(waID).lazy.compactMap { index[$0] }.first
    }
}
