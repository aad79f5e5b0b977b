import Foundation
import GRDB
import WamigrateBase

/// `wamigrate trace`: one contact's whole lineage: every input row that fed it
/// (file, line, the cell as typed), how each was normalized, which row each
/// merged field came from and by which rule, its WhatsApp check, its import
/// list, its consent ledger events, campaign messages and replies. Asked by
/// number, contact id, `viber:<id>` or `file:record`. Masked unless asked.
public struct ContactTrace: Codable, Sendable {
    public struct SourceRow: Codable, Sendable {
        public var origin: String
        public var line: Int
        public var raw: String
        public var normalized: String
        public var e164: String?
        public var region: String?
        public var regionSource: String?
        public var numberType: String?
        public var flags: String?
        public var reason: String?
        /// kept | merged | rejected
        public var outcome: String
        public var consent: String
        public var consentRaw: String?
        public var consentAt: String?
    }

    public struct Field: Codable, Sendable {
        public var field: String
        public var value: String?
        public var from: String?
        public var rule: String
    }

    public struct Verification: Codable, Sendable {
        public var status: String
        public var answer: String
        public var waID: String?
        public var verifier: String
        public var checkedAt: String
        public var batch: Int64?
        public var batchState: String?
        public var reason: String?
        /// The webhook statuses behind a `webhook` answer: status, time, message, inbox body.
        public var statuses: [String] = []
    }

    public struct Message: Codable, Sendable {
        public var campaign: String
        public var channel: Channel
        public var state: String
        public var reason: String?
        public var sendAt: String?
        public var sentAt: String?
        public var providerID: String?
        public var delivery: String?
        public var textVersion: String?
    }

    public struct Reply: Codable, Sendable {
        public var channel: Channel
        public var receivedAt: String
        public var body: String
        public var classification: String
        public var campaign: String?
        public var origin: String
    }

    public var address: String
    public var masking: String
    public var contactID: String?
    public var list: String?
    public var listReason: String?
    public var whatsapp: String?
    public var sourceRows: [SourceRow] = []
    public var fields: [Field] = []
    public var conflicts: [String] = []
    public var verification: Verification?
    public var messages: [Message] = []
    public var replies: [Reply] = []
    public var ledger: [ConsentEvent] = []
    public var consent: String = ConsentState.unknown.rawValue
    public var whatsappConsent: String = ConsentState.unknown.rawValue
    /// The person stopped WhatsApp MARKETING (and did not resume): utility and authentication still go.
    public var marketingStopped = false

    /// What the user typed, as a store lookup.
    public enum Key {
        case number(String)
        case viber(String)
        case contact(String)
        case row(file: String, record: Int)
    }

    public static func key(_ typed: String) throws -> Key {
        // A pointer pasted as the report and trace print it: `file:record (line N)`.
        var text = typed
        if let range = text.range(of: #" \(line [0-9]+\)$"#, options: .regularExpression) {
            text.removeSubrange(range)
        }
        if text.hasPrefix("viber:") { return .viber(String(text.dropFirst(6))) }
        if text.count == 17, text.first == "c", text.dropFirst().allSatisfy(\.isHexDigit) { return .contact(text) }
        if let colon = text.lastIndex(of: ":"), let record = Int(text[text.index(after: colon)...]), record > 0 {
            return .row(file: String(text[..<colon]), record: record)
        }
        if let e164 = E164Text.compact(text.filter { !"-().".contains($0) }) { return .number(e164) }
        throw WamigrateError(
            .usage, "'\(Redact.digits(text))' is not an E.164 number, a contact id, viber:<user id> or file:record",
            hint: "write the number with + and country code (+49 151 2345 6789), or e.g. sms_subscribers.csv:12")
    }

    public static func load(store: JobStore, lookup: String, policy: ConsentPolicy, masker: Masker) throws -> ContactTrace {
        let key = try key(lookup)
        var shown = lookup
        if case .number(let e164) = key { shown = masker.number(e164) }
        if case .viber(let id) = key { shown = "viber:" + masker.viber(id) }
        var trace = ContactTrace(address: shown, masking: masker.mode.rawValue)
        var addresses: [String] = []
        if case .number(let e164) = key { addresses.append(e164) }
        if case .viber(let id) = key { addresses.append("viber:" + id) }
        try store.read { db in
            let lineage = try Lineage(db)
            let files = lineage.fileNames
            var contactID: String?
            switch key {
            case .number(let e164):
                contactID = try String.fetchOne(db, sql: "SELECT id FROM contacts WHERE e164 = ?", arguments: [e164])
                // Rows in review that name this number as one of their candidates.
                let filter =
                    "r.id IN (SELECT row_id FROM normalized_rows WHERE outcome = 'review' AND ' ' || candidates || ' ' LIKE ?)"
                let inReview = try sourceRows(db, lineage: lineage, masker: masker, filter: filter, "% \(e164) %")
                if contactID == nil, !inReview.isEmpty {
                    trace.sourceRows = inReview
                    trace.list = ImportList.review.rawValue
                    trace.listReason = inReview.first?.reason
                }
            case .viber(let id):
                contactID = try String.fetchOne(db, sql: "SELECT id FROM contacts WHERE viber_id = ? LIMIT 1", arguments: [id])
            case .contact(let id):
                contactID = try String.fetchOne(db, sql: "SELECT id FROM contacts WHERE id = ?", arguments: [id])
            case .row(let file, let record):
                // The file as the reports name it, or the source name the ledger's evidence uses (no extension).
                guard
                    let source = files.first(where: { $0.value == file })?.key
                        ?? files.first(where: { ($0.value as NSString).deletingPathExtension == file })?.key,
                    let rowID = try Self.rowID(db, source: source, record: record)
                else {
                    throw WamigrateError(
                        .usage, "no record \(record) of '\(file)' in this job",
                        hint: "name an extracted file as the reports show it: \(files.values.sorted().joined(separator: ", "))")
                }
                contactID = try String.fetchOne(
                    db, sql: "SELECT contact_id FROM contact_rows WHERE row_id = ?", arguments: [rowID])
                if contactID == nil {  // rejected by normalize: the row is the whole story
                    trace.sourceRows = try sourceRows(db, lineage: lineage, masker: masker, filter: "r.id = ?", rowID)
                    if let list = try Row.fetchOne(
                        db, sql: "SELECT list, reason FROM import_lists WHERE contact_id IS NULL AND row_id = ?",
                        arguments: [rowID])
                    {
                        trace.list = list["list"]
                        trace.listReason = list["reason"]
                    }
                }
            }
            guard let id = contactID,
                let contact = try Row.fetchOne(db, sql: "SELECT * FROM contacts WHERE id = ?", arguments: [id])
            else { return }
            trace.contactID = id
            let e164: String? = contact["e164"]
            let viber: String? = contact["viber_id"]
            if let e164, !addresses.contains(e164) { addresses.append(e164) }
            if let viber, !addresses.contains("viber:\(viber)") { addresses.append("viber:\(viber)") }
            if case .number = key {} else { trace.address = e164.map(masker.number) ?? "viber:" + masker.viber(viber ?? "") }
            trace.sourceRows = try sourceRows(
                db, lineage: lineage, masker: masker, filter: "r.id IN (SELECT row_id FROM contact_rows WHERE contact_id = ?)", id
            )
            trace.fields = try fields(db, contact: contact, lineage: lineage, masker: masker)
            trace.conflicts = try String.fetchAll(
                db, sql: "SELECT kind FROM conflicts WHERE contact_id = ? ORDER BY id", arguments: [id])
            if let list = try Row.fetchOne(db, sql: "SELECT list, reason FROM import_lists WHERE contact_id = ?", arguments: [id])
            {
                trace.list = list["list"]
                trace.listReason = list["reason"]
            }
            if let e164,
                let r = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.status, r.answer, r.wa_id, r.verifier, r.checked_at, r.batch_id, b.state AS batch_state, r.reason
                        FROM registrations r LEFT JOIN verify_batches b ON b.id = r.batch_id WHERE r.e164 = ?
                        """, arguments: [e164])
            {
                trace.whatsapp = r["status"]
                trace.verification = Verification(
                    status: r["status"], answer: r["answer"], waID: (r["wa_id"] as String?).map { masker.number("+" + $0) },
                    verifier: r["verifier"], checkedAt: ISOTime.string(r["checked_at"]), batch: r["batch_id"],
                    batchState: r["batch_state"], reason: r["reason"])
                let recipients = [String(e164.dropFirst()), r["wa_id"] as String?].compactMap { $0 }
                for s in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT status, at, error_codes, wamid, inbox_id FROM message_statuses
                        WHERE recipient IN (?, ?) ORDER BY at, id
                        """, arguments: [recipients[0], recipients.last])
                {
                    let codes: String = s["error_codes"]
                    trace.verification?.statuses.append(
                        "\(s["status"] as String)\(codes.isEmpty ? "" : " " + codes) at \(ISOTime.string(s["at"])), "
                            + "message \(s["wamid"] as String), webhook body #\(s["inbox_id"] as Int64)")
                }
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.campaign, m.channel, m.state, m.reason, m.send_at, m.sent_at, m.provider_id, m.delivery, t.version
                    FROM campaign_messages m LEFT JOIN campaign_texts t ON t.id = m.text_id WHERE m.contact_id = ? ORDER BY m.id
                    """, arguments: [id])
            {
                trace.messages.append(
                    Message(
                        campaign: row["campaign"], channel: row["channel"], state: row["state"], reason: row["reason"],
                        sendAt: (row["send_at"] as Int64?).map { ISOTime.string($0) },
                        sentAt: (row["sent_at"] as Int64?).map { ISOTime.string($0) },
                        providerID: row["provider_id"], delivery: row["delivery"], textVersion: row["version"]))
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.wave, m.state, m.reason, m.sent_at, m.wamid, m.delivery, m.error_code, w.template
                    FROM wave_messages m JOIN waves w ON w.name = m.wave WHERE m.contact_id = ? ORDER BY m.id
                    """, arguments: [id])
            {
                let code: String? = row["error_code"]
                let delivery: String? = row["delivery"]
                trace.messages.append(
                    Message(
                        campaign: "wave " + (row["wave"] as String), channel: .whatsapp, state: row["state"],
                        reason: row["reason"], sendAt: nil, sentAt: (row["sent_at"] as Int64?).map { ISOTime.string($0) },
                        providerID: row["wamid"], delivery: delivery.map { $0 + (code.map { " " + $0 } ?? "") },
                        textVersion: row["template"]))
            }
        }
        guard !addresses.isEmpty else { return trace }
        try store.read { db in
            let marks = Array(repeating: "?", count: addresses.count).joined(separator: ", ")
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, received_at, body, class, campaign, origin FROM inbound_messages
                    WHERE address IN (\(marks)) ORDER BY received_at, id
                    """, arguments: StatementArguments(addresses))
            {
                trace.replies.append(
                    Reply(
                        channel: row["channel"], receivedAt: ISOTime.string(row["received_at"]), body: masker.text(row["body"]),
                        classification: row["class"], campaign: row["campaign"], origin: row["origin"]))
            }
        }
        trace.ledger = try store.consentHistory(addresses: addresses).map {
            var event = $0
            event.address = masker.address(event.address)
            return event
        }
        let tally = try store.consentTally(addresses: addresses, policy: policy)
        trace.consent = tally.state.rawValue
        trace.whatsappConsent = tally.whatsappState.rawValue
        trace.marketingStopped = tally.marketingStopped
        return trace
    }

    static func sourceRows(
        _ db: Database, lineage: Lineage, masker: Masker, filter: String, _ argument: some DatabaseValueConvertible
    ) throws -> [SourceRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.source_id, r.record, r.line, r.phone_raw, r.consent, r.consent_raw, r.consent_at, n.outcome, n.e164,
                  n.region, n.region_source, n.number_type, n.flags, n.reason, cr.disposition, r.viber_id, n.candidates
                FROM input_rows r LEFT JOIN normalized_rows n ON n.row_id = r.id LEFT JOIN contact_rows cr ON cr.row_id = r.id
                WHERE \(filter) ORDER BY r.id
                """, arguments: [argument]
        ).map { row in
            let viber: String? = row["viber_id"]
            let outcome: String? = row["outcome"]
            return SourceRow(
                origin: lineage.reference(row["source_id"], row["record"]), line: row["line"],
                raw: (row["phone_raw"] as String).isEmpty
                    ? (viber.map { "viber:" + masker.viber($0) } ?? "") : masker.raw(row["phone_raw"]),
                normalized: outcome ?? "not normalized",
                // A row in review has no number but two candidates, shown side by side.
                e164: (row["e164"] as String?).map(masker.number)
                    ?? (row["candidates"] as String?).map {
                        $0.components(separatedBy: " | ").map(masker.number).joined(separator: " or ")
                    },
                region: row["region"], regionSource: row["region_source"], numberType: row["number_type"],
                flags: row["flags"], reason: row["reason"],
                outcome: row["disposition"] ?? (outcome == "rejected" || outcome == "review" ? outcome ?? "" : "pending"),
                consent: row["consent"],
                consentRaw: row["consent_raw"], consentAt: (row["consent_at"] as Int64?).map { ISOTime.string($0) })
        }
    }

    /// Each merged field, the row it came from and the survivorship rule that picked it.
    static func fields(_ db: Database, contact: Row, lineage: Lineage, masker: Masker) throws -> [Field] {
        func origin(_ rowID: Int64?) throws -> String? {
            guard let rowID,
                let row = try Row.fetchOne(db, sql: "SELECT source_id, record FROM input_rows WHERE id = ?", arguments: [rowID])
            else { return nil }
            return lineage.reference(row["source_id"], row["record"])
        }
        let name: String? = contact["name"]
        let email: String? = contact["email"]
        let consentAt: Int64? = contact["consent_at"]
        return [
            Field(
                field: "name", value: name.map(masker.name), from: try origin(contact["name_row"]),
                rule: "most recent row with a name, then source priority"),
            Field(
                field: "email", value: email.map(masker.email), from: try origin(contact["email_row"]),
                rule: "most recent row with an email, then source priority"),
            Field(
                field: "consent", value: (contact["consent"] as String) + (consentAt.map { " at \(ISOTime.string($0))" } ?? ""),
                from: try origin(contact["consent_row"]), rule: contact["consent_rule"] ?? "no consent cell"),
            Field(field: "sources", value: contact["sources"], from: nil, rule: "union of every row's source"),
            Field(field: "tags", value: contact["tags"], from: nil, rule: "union of every row's tags"),
        ]
    }
}

extension ContactTrace {
    /// The input row of a source's record. Extract numbers rows consecutively, source
    /// after source, so the id follows from the earlier sources' row counts: one
    /// primary-key read instead of a scan of every input row. Checked, with the scan
    /// as the fallback for a store where that does not hold.
    static func rowID(_ db: Database, source: Int64, record: Int) throws -> Int64? {
        let before = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(rows), 0) FROM sources WHERE id < ?", arguments: [source])
        let guess = (before ?? 0) + Int64(record)
        if let id = try Int64.fetchOne(
            db, sql: "SELECT id FROM input_rows WHERE id = ? AND source_id = ? AND record = ?",
            arguments: [guess, source, record])
        {
            return id
        }
        return try Int64.fetchOne(
            db, sql: "SELECT id FROM input_rows WHERE source_id = ? AND record = ?", arguments: [source, record])
    }
}
