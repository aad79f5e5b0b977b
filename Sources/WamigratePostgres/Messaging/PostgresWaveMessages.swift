import Foundation
import WamigrateBase
import WamigrateModel

/// The wave send log on PostgreSQL: `planned` → `sending` (written before the request) →
/// `sent` | `failed` | `suppressed` | `in_doubt`, as on SQLite; several `wave send` processes
/// may work on one wave at once. Each takes its next messages by writing its lease token into
/// `claimed_by` (`PostgresSenderLease`), and the conditional `planned → sending` update stays
/// the one guard that a message goes out once.
extension PostgresJobStore {
    public func recordWaveLimit(_ name: String, tier: Int?, source: String) throws {
        try write {
            try connection.execute("UPDATE waves SET tier = $1, tier_source = $2 WHERE name = $3", [tier, source, name])
        }
    }

    public func wave(_ name: String) throws -> WaveRecord {
        let record = try read { try waveRecord(name) }
        guard let record else {
            throw WamigrateError(
                .stageOrder, "there is no planned wave named '\(name)' in this store",
                hint: "run `wamigrate wave plan --name \(name) --template …` first")
        }
        return record
    }

    func waveRecord(_ name: String) throws -> WaveRecord? {
        let rows = try connection.execute(
            """
            SELECT name, template, language, category, list, tier, settings_json, planned_at, released, promoted
            FROM waves WHERE name = $1
            """, [name])
        guard rows.count == 1 else { return nil }
        var record = WaveRecord(
            name: rows.string(0, 0) ?? "", template: rows.string(0, 1) ?? "", language: rows.string(0, 2) ?? "",
            category: rows.string(0, 3) ?? "", list: rows.string(0, 4) ?? "", tier: rows.int(0, 5),
            settingsJSON: rows.string(0, 6) ?? "", plannedAt: rows.int64(0, 7) ?? 0)
        record.released = rows.int(0, 8) ?? 1
        record.promoted = rows.string(0, 9)
        return record
    }

    private static let templateSelect = """
        SELECT m.id, m.contact_id, m.e164, m.parameters_json, m.state, m.sending_at, m.idempotency_key, m.variant,
          c.viber_id
        FROM wave_messages m LEFT JOIN contacts c ON c.id = m.contact_id
        """

    private func outbound(_ rows: PostgresRows) -> [OutboundTemplate] {
        (0..<rows.count).map { index in
            let parameters =
                rows.string(index, 3).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            let e164 = rows.string(index, 2) ?? ""
            let viber = rows.string(index, 8)
            var outbound = OutboundTemplate(
                id: rows.int64(index, 0) ?? 0, contactID: rows.string(index, 1) ?? "", e164: e164, parameters: parameters,
                state: MessageState(rawValue: rows.string(index, 4) ?? "") ?? .planned, sendingAt: rows.int64(index, 5),
                idempotencyKey: rows.string(index, 6) ?? "",
                addresses: [e164, viber.map { "viber:\($0)" }].compactMap { $0 }.filter { !$0.isEmpty })
            outbound.variant = rows.string(index, 7) ?? "A"
            return outbound
        }
    }

    /// This sender's next planned messages of the released cohorts, in plan order: after `id`,
    /// or before it when a sender that had taken them is gone. Taken in one transaction (`FOR
    /// UPDATE SKIP LOCKED`, so two senders never take the same ones); under a messaging limit,
    /// no more than the recipients left in the rolling 24 h once every sender's sends and taken
    /// messages are counted (a transaction lock serializes those claims across the job's waves).
    public func plannedTemplates(_ wave: String, after id: Int64, limit: Int) throws -> [OutboundTemplate] {
        let token = try senderToken()
        return try write {
            // Every wave's claims in turn: the limit counts recipients across the job's waves.
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [PostgresLocks.messagingLimit])
            let tier = try connection.execute("SELECT tier FROM waves WHERE name = $1", [wave])
            guard tier.count == 1 else { return [] }  // re-planned meanwhile: the next call finds the new plan
            var take = limit
            if let tier = tier.int(0, 0) {
                let since = Int64(Date().timeIntervalSince1970) - 86_400
                let used =
                    try connection.execute(
                        """
                        SELECT (SELECT count(DISTINCT e164) FROM wave_messages WHERE sending_at >= $1 AND state IN ($2, $3, $4))
                          + (SELECT count(*) FROM wave_messages WHERE state = $5 AND claimed_by IS NOT NULL
                               AND \(PostgresSenderLease.heldByOther("claimed_by", token: "$6")))
                        """,
                        [since, MessageState.sending, MessageState.sent, MessageState.inDoubt, MessageState.planned, token]
                    ).scalarInt ?? 0
                take = min(limit, max(0, tier - used))
            }
            guard take > 0 else { return [] }
            let claimed = try connection.execute(
                """
                UPDATE wave_messages SET claimed_by = $4 WHERE id IN (
                  SELECT m.id FROM wave_messages m
                  WHERE m.wave = $1 AND m.state = $2 AND m.cohort < (SELECT released FROM waves WHERE name = $1)
                    AND (m.id > $3 OR m.claimed_by IS DISTINCT FROM $4)
                    AND \(PostgresSenderLease.free("m.claimed_by", token: "$4"))
                  ORDER BY m.id LIMIT $5 FOR UPDATE SKIP LOCKED)
                RETURNING id
                """, [wave, MessageState.planned, id, token, take])
            let ids = (0..<claimed.count).compactMap { claimed.int64($0, 0) }
            guard !ids.isEmpty else { return [] }
            return outbound(
                try connection.execute(
                    "\(Self.templateSelect) WHERE m.id = ANY($1::bigint[]) ORDER BY m.id", [PostgresArray(ids)]))
        }
    }

    /// The wave's messages in this state, in plan order. The `sending` and `in_doubt` ones are
    /// what a sender settles: they are taken for this sender in the same statement (none another
    /// running sender holds: it may be sending them right now), so two senders never settle one
    /// message and a starting sender never settles a message in flight.
    public func waveMessages(_ wave: String, state: MessageState) throws -> [OutboundTemplate] {
        guard state == .sending || state == .inDoubt else {
            return try read {
                outbound(
                    try connection.execute(
                        "\(Self.templateSelect) WHERE m.wave = $1 AND m.state = $2 ORDER BY m.id", [wave, state]))
            }
        }
        let token = try senderToken()
        return try write {
            let claimed = try connection.execute(
                """
                UPDATE wave_messages m SET claimed_by = $3
                WHERE m.wave = $1 AND m.state = $2 AND \(PostgresSenderLease.free("m.claimed_by", token: "$3"))
                RETURNING m.id
                """, [wave, state, token])
            let ids = (0..<claimed.count).compactMap { claimed.int64($0, 0) }
            guard !ids.isEmpty else { return [] }
            return outbound(
                try connection.execute(
                    "\(Self.templateSelect) WHERE m.id = ANY($1::bigint[]) ORDER BY m.id", [PostgresArray(ids)]))
        }
    }

    public func waveMessageStates(_ ids: [Int64]) throws -> [Int64: MessageState] {
        try read {
            let rows = try connection.execute(
                "SELECT id, state FROM wave_messages WHERE id = ANY($1::bigint[])", [PostgresArray(ids)])
            var states: [Int64: MessageState] = [:]
            for index in 0..<rows.count {
                if let id = rows.int64(index, 0), let state = rows.string(index, 1).flatMap(MessageState.init(rawValue:)) {
                    states[id] = state
                }
            }
            return states
        }
    }

    /// planned → sending, before the request, taken by this sender. False when another got there first.
    public func markTemplateSending(_ id: Int64, at time: Int64) throws -> Bool {
        let token = try senderToken()
        return try autocommit {
            try connection.execute(
                """
                UPDATE wave_messages SET state = $1, attempts = attempts + 1, sending_at = $2, claimed_by = $5
                WHERE id = $3 AND state = $4
                """, [MessageState.sending, time, id, MessageState.planned, token]
            ).changes == 1
        }
    }

    public func settledByWebhook(_ ids: Set<Int64>) throws -> Int {
        try read {
            try connection.execute(
                "SELECT count(*) FROM wave_messages WHERE id = ANY($1::bigint[]) AND state = $2 AND reason = $3",
                [PostgresArray(Array(ids)), MessageState.sent, MessageReason.settledByWebhook]
            ).scalarInt ?? 0
        }
    }

    public func markTemplateRetry(_ id: Int64, at time: Int64) throws {
        try autocommit { try connection.execute("UPDATE wave_messages SET sending_at = $1 WHERE id = $2", [time, id]) }
    }

    public func saveTemplateOutcome(
        _ id: Int64, state: MessageState, wamid: String?, errorCode: String?, reason: MessageReason?, at time: Int64
    ) throws {
        try autocommit {
            try connection.execute(
                """
                UPDATE wave_messages SET state = $1, wamid = COALESCE($2, wamid), error_code = $3, reason = $4,
                  sent_at = CASE WHEN $5 = 1 THEN $6 ELSE sent_at END
                WHERE id = $7
                """, [state, wamid, errorCode, reason, state == .sent, time, id])
        }
    }

    public func waveRecipients(since time: Int64) throws -> Int {
        try read {
            try connection.execute(
                "SELECT count(DISTINCT e164) FROM wave_messages WHERE sending_at >= $1 AND state IN ($2, $3, $4)",
                [time, MessageState.sending, MessageState.sent, MessageState.inDoubt]
            ).scalarInt ?? 0
        }
    }

    public func oldestWaveSend(since time: Int64) throws -> Int64? {
        try read {
            try connection.execute(
                "SELECT min(sending_at) FROM wave_messages WHERE sending_at >= $1 AND state IN ($2, $3, $4)",
                [time, MessageState.sending, MessageState.sent, MessageState.inDoubt]
            ).int64(0, 0)
        }
    }

    public func wamid(callback: String) throws -> String? {
        try read {
            try connection.execute(
                "SELECT wamid FROM message_statuses WHERE callback = $1 ORDER BY id LIMIT 1", [callback]
            ).scalarString
        }
    }

    public func statusArrived(wave: String, sentFrom time: Int64, other id: Int64) throws -> Bool {
        try read {
            try connection.execute(
                """
                SELECT EXISTS (SELECT 1 FROM wave_messages w JOIN message_statuses s ON s.callback = w.idempotency_key
                  WHERE w.wave = $1 AND w.sending_at >= $2 AND w.id != $3)
                """, [wave, time, id]
            ).scalarString == "t"
        }
    }

    public func waveCount(_ wave: String, state: MessageState) throws -> Int {
        try read {
            try connection.execute(
                "SELECT count(*) FROM wave_messages WHERE wave = $1 AND state = $2", [wave, state]
            ).scalarInt ?? 0
        }
    }

    public func waveStatus(_ name: String) throws -> WaveStatusReport {
        let record = try wave(name)
        return try read {
            var report = try waveReport(record)
            let rows = try connection.execute(
                """
                SELECT state, delivery, error_code, reason, count(*) FROM wave_messages WHERE wave = $1
                GROUP BY state, delivery, error_code, reason
                """, [name])
            for index in 0..<rows.count {
                report.add(
                    count: rows.int(index, 4) ?? 0, state: rows.string(index, 0) ?? "", delivery: rows.string(index, 1),
                    errorCode: rows.string(index, 2), reason: rows.string(index, 3))
            }
            return report
        }
    }

    /// The wave's record and what is still planned (days of the schedule, cost).
    func waveReport(_ record: WaveRecord) throws -> WaveStatusReport {
        var report = WaveStatusReport(record: record)
        let planned = try connection.execute(
            "SELECT count(DISTINCT day), COALESCE(sum(cost), 0) FROM wave_messages WHERE wave = $1 AND state = $2",
            [record.name, MessageState.planned])
        report.daysLeft = planned.int(0, 0) ?? 0
        report.plannedCost = Double(planned.string(0, 1) ?? "") ?? 0
        return report
    }
}
