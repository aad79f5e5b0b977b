import Foundation
import GRDB

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

extension JobStore {
    /// The newest record of a template by name and language, over every WABA.
    public func templateRecord(name: String, language: String) throws -> TemplateRecord? {
        try read { db in
            try TemplateRow.fetchOne(
                db,
                sql: """
                    SELECT name, language, template_id, status, COALESCE(answered_category, category) AS category,
                      body_parameters, quality
                    FROM template_submissions WHERE name = ? AND language = ? ORDER BY sent_at DESC LIMIT 1
                    """, arguments: [name, language]
            )?.record
        }
    }

    /// Keeps the body's variables of a submitted template.
    public func saveBodyParameters(wabaID: String, name: String, language: String, _ parameters: [String]) throws {
        let json = String(decoding: try JSONEncoder().encode(parameters), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: "UPDATE template_submissions SET body_parameters = ? WHERE waba_id = ? AND name = ? AND language = ?",
                arguments: [json, wabaID, name, language])
        }
    }

    /// A `message_template_status_update` or a completed `template_category_update`:
    /// matched by template id, else by name and language; a newer report wins. Returns
    /// whether a record changed.
    @discardableResult
    public func applyTemplateUpdate(
        templateID: String?, name: String?, language: String?, status: String?, category: String?, reason: String?,
        quality: String? = nil, at time: Int64
    ) throws -> Bool {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE template_submissions SET status = COALESCE(?, status),
                      answered_category = COALESCE(?, answered_category), reason = COALESCE(?, reason),
                      quality = COALESCE(?, quality), status_at = ?
                    WHERE ((? IS NOT NULL AND template_id = ?) OR (? IS NOT NULL AND name = ? AND (? IS NULL OR language = ?)))
                      AND COALESCE(status_at, 0) <= ?
                    """,
                arguments: [
                    status, category, reason, quality, time, templateID, templateID, name, name, language, language, time,
                ])
            return db.changesCount > 0
        }
    }
}

/// A template's newest `template_submissions` row, by column name; `body_parameters` is a JSON list.
private struct TemplateRow: Decodable, FetchableRecord {
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
    var name: String
    var language: String
    var templateID: String?
    var status: String?
    var category: String
    var bodyParameters: String?
    var quality: String?

    var record: TemplateRecord {
        TemplateRecord(
            name: name, language: language, templateID: templateID, status: status, category: category,
            bodyParameters: bodyParameters.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) },
            quality: quality)
    }
}
