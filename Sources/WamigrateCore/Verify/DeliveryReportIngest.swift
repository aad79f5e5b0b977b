import Crypto
import Foundation
import GRDB
import WamigrateBase

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

    func run(store: JobStore) throws -> DeliveryReportSummary {
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
        try store.write { db in
            let numbers = try Self.numberIndex(db)
            var byNumber: [String: [DeliveryStatus]] = [:]
            for event in events {
                guard let e164 = Self.match(event.recipient, in: numbers) else {
                    summary.unmatched += 1
                    continue
                }
                byNumber[e164, default: []].append(event)
            }
            let upsert = try db.makeStatement(
                sql: """
                    INSERT INTO registrations (e164, status, answer, wa_id, checked_at, verifier, batch_id, reason, final)
                    VALUES (?, ?, ?, ?, ?, 'delivery-report', NULL, ?, 1)
                    ON CONFLICT(e164) DO UPDATE SET status = excluded.status, answer = excluded.answer,
                      wa_id = COALESCE(excluded.wa_id, registrations.wa_id), checked_at = excluded.checked_at,
                      verifier = excluded.verifier, batch_id = NULL, reason = excluded.reason, final = 1
                    """)
            let keepReason = try db.makeStatement(
                sql: """
                    INSERT INTO registrations (e164, status, answer, checked_at, verifier, reason, final)
                    VALUES (?, ?, ?, ?, 'delivery-report', ?, 0)
                    ON CONFLICT(e164) DO UPDATE SET reason = excluded.reason
                    """)
            for (e164, list) in byNumber {
                let ordered = list.sorted { ($0.timestamp, $0.line) < ($1.timestamp, $1.line) }
                if let last = ordered.last(where: { $0.verdict != nil }), let verdict = last.verdict {
                    let waID = verdict == .onWhatsApp ? last.recipient : nil
                    try upsert.execute(arguments: [e164, verdict.rawValue, last.reason, waID, last.timestamp, last.reason])
                    if verdict == .onWhatsApp { summary.onWhatsApp += 1 } else { summary.notOnWhatsApp += 1 }
                } else if let last = ordered.last {
                    try keepReason.execute(arguments: [
                        e164, RegistrationStatus.unknown, last.reason, last.timestamp, "no change: " + last.reason,
                    ])
                    summary.noChange[last.reason, default: 0] += 1
                }
            }
        }
        return summary
    }

    /// Digits of every contact's number, and of every wa_id already known, to the E.164 number.
    static func numberIndex(_ db: Database) throws -> [String: String] {
        var index: [String: String] = [:]
        for e164 in try String.fetchAll(db, sql: "SELECT e164 FROM contacts WHERE e164 IS NOT NULL") {
            index[String(e164.dropFirst())] = e164
        }
        let known = try Row.fetchAll(
            db, sql: "SELECT r.wa_id, r.e164 FROM registrations r JOIN contacts c ON c.e164 = r.e164 WHERE r.wa_id IS NOT NULL")
        for row in known where index[row[0] as String] == nil { index[row[0]] = row[1] }
        return index
    }

    /// The contact for a wa_id: its digits, else the same subscriber's other form.
    static func match(_ waID: String, in index: [String: String]) -> String? {
        if let direct = index[waID] { return direct }
        return WaIDForms.alternatives(waID).lazy.compactMap { index[$0] }.first
    }
}
