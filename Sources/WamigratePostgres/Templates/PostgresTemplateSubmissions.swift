import Foundation
import WamigrateModel

/// Templates as submitted and as the platform's webhooks last reported them, on PostgreSQL:
/// the SQLite store's `TemplateSubmissions`. One row per WABA, name and language (an upsert on
/// that key); `body_parameters` is a JSON list kept as text.
extension PostgresJobStore: TemplateStore {
    public func saveSubmission(_ submission: TemplateSubmission) throws {
        try write {
            try connection.execute(
                """
                INSERT INTO template_submissions (waba_id, name, language, category, payload_sha256, state, template_id,
                  status, answered_category, reason, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (waba_id, name, language) DO UPDATE SET category = EXCLUDED.category,
                  payload_sha256 = EXCLUDED.payload_sha256, state = EXCLUDED.state, template_id = EXCLUDED.template_id,
                  status = EXCLUDED.status, answered_category = EXCLUDED.answered_category, reason = EXCLUDED.reason,
                  sent_at = EXCLUDED.sent_at
                """,
                [
                    submission.wabaID, submission.name, submission.language, submission.category, submission.payloadSHA256,
                    submission.state, submission.templateID, submission.status, submission.answeredCategory,
                    submission.reason, submission.sentAt,
                ])
        }
    }

    public func submissions(wabaID: String) throws -> [TemplateSubmission] {
        try read {
            let rows = try connection.execute(
                """
                SELECT * FROM template_submissions WHERE waba_id = $1
                ORDER BY name COLLATE "C", language COLLATE "C"
                """, [wabaID])
            return (0..<rows.count).map { index in
                func text(_ name: String) -> String? { rows.string(index, rows.column(name)) }
                var submission = TemplateSubmission(
                    wabaID: text("waba_id") ?? "", name: text("name") ?? "", language: text("language") ?? "",
                    category: text("category") ?? "", payloadSHA256: text("payload_sha256") ?? "",
                    sentAt: rows.int64(index, rows.column("sent_at")) ?? 0)
                submission.state = text("state") ?? ""
                submission.templateID = text("template_id")
                submission.status = text("status")
                submission.answeredCategory = text("answered_category")
                submission.reason = text("reason")
                return submission
            }
        }
    }

    /// Creation requests sent to this WABA since the given time (the hourly limit counts attempts).
    public func creationsSent(wabaID: String, since: Int64) throws -> Int {
        try read {
            try connection.execute(
                """
                SELECT COUNT(*) FROM template_submissions
                WHERE waba_id = $1 AND sent_at >= $2 AND state NOT IN ('exists', 'deferred')
                """, [wabaID, since]
            ).scalarInt ?? 0
        }
    }

    /// The newest record of a template by name and language, over every WABA (among equally
    /// new ones the first kept, as SQLite's scan finds it).
    public func templateRecord(name: String, language: String) throws -> TemplateRecord? {
        try autocommit {
            let rows = try connection.execute(
                """
                SELECT name, language, template_id, status, COALESCE(answered_category, category) AS category,
                  body_parameters, quality
                FROM template_submissions WHERE name = $1 AND language = $2 ORDER BY sent_at DESC, id LIMIT 1
                """, [name, language])
            guard rows.count == 1 else { return nil }
            func text(_ name: String) -> String? { rows.string(0, rows.column(name)) }
            return TemplateRecord(
                name: text("name") ?? "", language: text("language") ?? "", templateID: text("template_id"),
                status: text("status"), category: text("category") ?? "",
                bodyParameters: text("body_parameters").flatMap {
                    try? JSONDecoder().decode([String].self, from: Data($0.utf8))
                },
                quality: text("quality"))
        }
    }

    /// Keeps the body's variables of a submitted template.
    public func saveBodyParameters(wabaID: String, name: String, language: String, _ parameters: [String]) throws {
        let json = String(decoding: try JSONEncoder().encode(parameters), as: UTF8.self)
        try write {
            try connection.execute(
                "UPDATE template_submissions SET body_parameters = $1 WHERE waba_id = $2 AND name = $3 AND language = $4",
                [json, wabaID, name, language])
        }
    }

    /// A `message_template_status_update` or a completed `template_category_update`: matched by
    /// template id, else by name and language; a newer report wins. Returns whether a record changed.
    @discardableResult
    public func applyTemplateUpdate(
        templateID: String?, name: String?, language: String?, status: String?, category: String?, reason: String?,
        quality: String?, at time: Int64
    ) throws -> Bool {
        try write {
            try connection.execute(
                """
                UPDATE template_submissions SET status = COALESCE($1, status),
                  answered_category = COALESCE($2, answered_category), reason = COALESCE($3, reason),
                  quality = COALESCE($4, quality), status_at = $5
                WHERE (($6::text IS NOT NULL AND template_id = $6)
                    OR ($7::text IS NOT NULL AND name = $7 AND ($8::text IS NULL OR language = $8)))
                  AND COALESCE(status_at, 0) <= $5
                """, [status, category, reason, quality, time, templateID, name, language]
            ).changes > 0
        }
    }
}
