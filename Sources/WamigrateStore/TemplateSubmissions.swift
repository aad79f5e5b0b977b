import Foundation
import GRDB

/// What `templates submit` sent and what the endpoint answered, one row per
/// WABA, name and language. `sending` is written before the request, so a
/// crash leaves a trace the next run checks against the endpoint's list.
public struct TemplateSubmission: Codable, Sendable, Equatable {
    public var wabaID: String
    public var name: String
    public var language: String
    public var category: String
    public var payloadSHA256: String
    /// sending | created | exists | refused | deferred
    public var state: String
    public var templateID: String?
    public var status: String?
    public var answeredCategory: String?
    public var reason: String?
    public var sentAt: Int64

    public init(wabaID: String, name: String, language: String, category: String, payloadSHA256: String, sentAt: Int64) {
        self.wabaID = wabaID
        self.name = name
        self.language = language
        self.category = category
        self.payloadSHA256 = payloadSHA256
        self.state = "sending"
        self.sentAt = sentAt
    }
}

extension JobStore {
    public func saveSubmission(_ submission: TemplateSubmission) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO template_submissions (waba_id, name, language, category, payload_sha256, state, template_id,
                      status, answered_category, reason, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (waba_id, name, language) DO UPDATE SET category = excluded.category,
                      payload_sha256 = excluded.payload_sha256, state = excluded.state, template_id = excluded.template_id,
                      status = excluded.status, answered_category = excluded.answered_category, reason = excluded.reason,
                      sent_at = excluded.sent_at
                    """,
                arguments: [
                    submission.wabaID, submission.name, submission.language, submission.category, submission.payloadSHA256,
                    submission.state, submission.templateID, submission.status, submission.answeredCategory, submission.reason,
                    submission.sentAt,
                ])
        }
    }

    public func submissions(wabaID: String) throws -> [TemplateSubmission] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM template_submissions WHERE waba_id = ? ORDER BY name, language", arguments: [wabaID]
            ).map { row in
                var submission = TemplateSubmission(
                    wabaID: row["waba_id"], name: row["name"], language: row["language"], category: row["category"],
                    payloadSHA256: row["payload_sha256"], sentAt: row["sent_at"])
                submission.state = row["state"]
                submission.templateID = row["template_id"]
                submission.status = row["status"]
                submission.answeredCategory = row["answered_category"]
                submission.reason = row["reason"]
                return submission
            }
        }
    }

    /// Creation requests sent to this WABA since the given time (the hourly limit counts attempts).
    public func creationsSent(wabaID: String, since: Int64) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql:
                    "SELECT count(*) FROM template_submissions WHERE waba_id = ? AND sent_at >= ? AND state NOT IN ('exists', 'deferred')",
                arguments: [wabaID, since]) ?? 0
        }
    }
}
