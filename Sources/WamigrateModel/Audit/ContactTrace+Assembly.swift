import Foundation
import WamigrateBase

/// The trace, read once for every engine: the engine opens a read transaction and answers
/// the SQL below (`AuditSQLReader`), then the consent ledger adds its events and its tally
/// through `ConsentLedgerStore`. Text ordering is byte order on both engines.
extension ContactTrace {
    /// The trace of `lookup` from the store's rows (in one read transaction), with the addresses
    /// whose consent ledger `addConsent` reads.
    public static func assemble(
        lookup: String, masker: Masker, from db: some AuditSQLReader
    ) throws -> (trace: ContactTrace, addresses: [String]) {
        let key = try key(lookup)
        var shown = lookup
        if case .number(let e164) = key { shown = masker.number(e164) }
        if case .viber(let id) = key { shown = "viber:" + masker.viber(id) }
        var trace = ContactTrace(address: shown, masking: masker.mode.rawValue)
        var addresses: [String] = []
        if case .number(let e164) = key { addresses.append(e164) }
        if case .viber(let id) = key { addresses.append("viber:" + id) }
        let lineage = try db.lineage()
        var contactID: String?
        switch key {
        case .number(let e164):
            contactID = try db.text("SELECT id FROM contacts WHERE e164 = ?", [.text(e164)], column: "id")
            // Rows in review that name this number as one of their candidates.
            let filter = """
                r.id IN (SELECT row_id FROM normalized_rows
                  WHERE outcome = 'review' AND ' ' || candidates || ' ' LIKE ?)
                """
            let inReview = try sourceRows(db, lineage: lineage, masker: masker, filter: filter, .text("% \(e164) %"))
            if contactID == nil, !inReview.isEmpty {
                trace.sourceRows = inReview
                trace.list = ImportList.review.rawValue
                trace.listReason = inReview.first?.reason
            }
        case .viber(let id):
            // Several contacts can hold a Viber id: the first dedupe wrote.
            contactID = try db.text(
                "SELECT id FROM contacts WHERE viber_id = ? ORDER BY seq LIMIT 1", [.text(id)], column: "id")
        case .contact(let id):
            contactID = try db.text("SELECT id FROM contacts WHERE id = ?", [.text(id)], column: "id")
        case .row(let file, let record):
            let rowID = try rowID(db, lineage: lineage, file: file, record: record)
            contactID = try db.text(
                "SELECT contact_id FROM contact_rows WHERE row_id = ?", [.integer(rowID)], column: "contact_id")
            if contactID == nil {  // rejected by normalize: the row is the whole story
                trace.sourceRows = try sourceRows(
                    db, lineage: lineage, masker: masker, filter: "r.id = ?", .integer(rowID))
                if let list = try db.row(
                    "SELECT list, reason FROM import_lists WHERE contact_id IS NULL AND row_id = ?", [.integer(rowID)])
                {
                    trace.list = list.text("list")
                    trace.listReason = list.text("reason")
                }
            }
        }
        if let id = contactID, let contact = try db.row("SELECT * FROM contacts WHERE id = ?", [.text(id)]) {
            try trace.addContact(id, contact, key: key, addresses: &addresses, db: db, lineage: lineage, masker: masker)
        }
        if !addresses.isEmpty {
            let marks = Array(repeating: "?", count: addresses.count).joined(separator: ", ")
            trace.replies = try db.rows(
                """
                SELECT channel, received_at, body, class, campaign, origin FROM inbound_messages
                WHERE address IN (\(marks)) ORDER BY received_at, id
                """, addresses.map { .text($0) }
            ).map { row in
                Reply(
                    channel: Channel(rawValue: row.text("channel") ?? "") ?? .sms,
                    receivedAt: ISOTime.string(row.integer("received_at") ?? 0),
                    body: masker.text(row.text("body") ?? ""),
                    classification: row.text("class") ?? "", campaign: row.text("campaign"),
                    origin: row.text("origin") ?? "")
            }
        }
        return (trace, addresses)
    }

    /// The consent ledger's events for `addresses` (masked) and what they add up to under `policy`.
    public mutating func addConsent(
        addresses: [String], from store: some ConsentLedgerStore, policy: ConsentPolicy, masker: Masker
    ) throws {
        guard !addresses.isEmpty else { return }
        ledger = try store.consentHistory(addresses: addresses).map {
            var event = $0
            event.address = masker.address(event.address)
            return event
        }
        let tally = try store.consentTally(addresses: addresses, policy: policy)
        consent = tally.state.rawValue
        whatsappConsent = tally.whatsappState.rawValue
        marketingStopped = tally.marketingStopped
    }

    // MARK: - The contact

    private mutating func addContact(
        _ id: String, _ contact: any AuditSQLRow, key: Key, addresses: inout [String], db: some AuditSQLReader,
        lineage: Lineage, masker: Masker
    ) throws {
        contactID = id
        let e164 = contact.text("e164")
        let viber = contact.text("viber_id")
        if let e164, !addresses.contains(e164) { addresses.append(e164) }
        if let viber, !addresses.contains("viber:\(viber)") { addresses.append("viber:\(viber)") }
        if case .number = key {} else { address = e164.map(masker.number) ?? "viber:" + masker.viber(viber ?? "") }
        sourceRows = try Self.sourceRows(
            db, lineage: lineage, masker: masker,
            filter: "r.id IN (SELECT row_id FROM contact_rows WHERE contact_id = ?)",
            .text(id))
        fields = try Self.fields(db, contact: contact, lineage: lineage, masker: masker)
        conflicts = try db.rows("SELECT kind FROM conflicts WHERE contact_id = ? ORDER BY id", [.text(id)])
            .compactMap { $0.text("kind") }
        if let list = try db.row("SELECT list, reason FROM import_lists WHERE contact_id = ?", [.text(id)]) {
            self.list = list.text("list")
            listReason = list.text("reason")
        }
        if let e164 { try addVerification(e164, db: db, masker: masker) }
        try addMessages(id, db: db)
    }

    private mutating func addVerification(_ e164: String, db: some AuditSQLReader, masker: Masker) throws {
        guard
            let r = try db.row(
                """
                SELECT r.status, r.answer, r.wa_id, r.verifier, r.checked_at, r.batch_id, b.state AS batch_state,
                  r.reason
                FROM registrations r LEFT JOIN verify_batches b ON b.id = r.batch_id WHERE r.e164 = ?
                """, [.text(e164)])
        else { return }
        whatsapp = r.text("status")
        verification = Verification(
            status: r.text("status") ?? "", answer: r.text("answer") ?? "",
            waID: r.text("wa_id").map { masker.number("+" + $0) }, verifier: r.text("verifier") ?? "",
            checkedAt: ISOTime.string(r.integer("checked_at") ?? 0), batch: r.integer("batch_id"),
            batchState: r.text("batch_state"), reason: r.text("reason"))
        let recipients = [String(e164.dropFirst()), r.text("wa_id")].compactMap { $0 }
        for s in try db.rows(
            """
            SELECT status, at, error_codes, wamid, inbox_id FROM message_statuses
            WHERE recipient IN (?, ?) ORDER BY at, id
            """, [.text(recipients[0]), .text(recipients[recipients.count - 1])])
        {
            let codes = s.text("error_codes") ?? ""
            verification?.statuses.append(
                "\(s.text("status") ?? "")\(codes.isEmpty ? "" : " " + codes) "
                    + "at \(ISOTime.string(s.integer("at") ?? 0)), "
                    + "message \(s.text("wamid") ?? ""), webhook body #\(s.integer("inbox_id") ?? 0)")
        }
    }

    private mutating func addMessages(_ id: String, db: some AuditSQLReader) throws {
        for row in try db.rows(
            """
            SELECT m.campaign, m.channel, m.state, m.reason, m.send_at, m.sent_at, m.provider_id, m.delivery, t.version
            FROM campaign_messages m LEFT JOIN campaign_texts t ON t.id = m.text_id WHERE m.contact_id = ? ORDER BY m.id
            """, [.text(id)])
        {
            messages.append(
                Message(
                    campaign: row.text("campaign") ?? "", channel: Channel(rawValue: row.text("channel") ?? "") ?? .sms,
                    state: row.text("state") ?? "", reason: row.text("reason"),
                    sendAt: row.integer("send_at").map { ISOTime.string($0) },
                    sentAt: row.integer("sent_at").map { ISOTime.string($0) }, providerID: row.text("provider_id"),
                    delivery: row.text("delivery"), textVersion: row.text("version")))
        }
        for row in try db.rows(
            """
            SELECT m.wave, m.state, m.reason, m.sent_at, m.wamid, m.delivery, m.error_code, w.template
            FROM wave_messages m JOIN waves w ON w.name = m.wave WHERE m.contact_id = ? ORDER BY m.id
            """, [.text(id)])
        {
            let code = row.text("error_code")
            messages.append(
                Message(
                    campaign: "wave " + (row.text("wave") ?? ""), channel: .whatsapp, state: row.text("state") ?? "",
                    reason: row.text("reason"), sendAt: nil, sentAt: row.integer("sent_at").map { ISOTime.string($0) },
                    providerID: row.text("wamid"),
                    delivery: row.text("delivery").map { $0 + (code.map { " " + $0 } ?? "") },
                    textVersion: row.text("template")))
        }
    }

    // MARK: - Rows and fields

    static func sourceRows(
        _ db: some AuditSQLReader, lineage: Lineage, masker: Masker, filter: String, _ argument: AuditSQLValue
    ) throws -> [SourceRow] {
        try db.rows(
            """
            SELECT r.source_id, r.record, r.line, r.phone_raw, r.consent, r.consent_raw, r.consent_at, n.outcome,
              n.e164, n.region, n.region_source, n.number_type, n.flags, n.reason, cr.disposition, r.viber_id,
              n.candidates
            FROM input_rows r LEFT JOIN normalized_rows n ON n.row_id = r.id
            LEFT JOIN contact_rows cr ON cr.row_id = r.id
            WHERE \(filter) ORDER BY r.id
            """, [argument]
        ).map { row in
            let viber = row.text("viber_id")
            let outcome = row.text("outcome")
            let phoneRaw = row.text("phone_raw") ?? ""
            return SourceRow(
                origin: lineage.reference(row.integer("source_id") ?? 0, row.integer("record") ?? 0),
                line: row.int("line") ?? 0,
                raw: phoneRaw.isEmpty ? (viber.map { "viber:" + masker.viber($0) } ?? "") : masker.raw(phoneRaw),
                normalized: outcome ?? "not normalized",
                // A row in review has no number but two candidates, shown side by side.
                e164: row.text("e164").map(masker.number)
                    ?? row.text("candidates").map {
                        $0.components(separatedBy: " | ").map(masker.number).joined(separator: " or ")
                    },
                region: row.text("region"), regionSource: row.text("region_source"),
                numberType: row.text("number_type"),
                flags: row.text("flags"), reason: row.text("reason"),
                outcome: row.text("disposition")
                    ?? (outcome == "rejected" || outcome == "review" ? outcome ?? "" : "pending"),
                consent: row.text("consent") ?? "", consentRaw: row.text("consent_raw"),
                consentAt: row.integer("consent_at").map { ISOTime.string($0) })
        }
    }

    /// Each merged field, the row it came from and the survivorship rule that picked it.
    static func fields(
        _ db: some AuditSQLReader, contact: any AuditSQLRow, lineage: Lineage, masker: Masker
    ) throws -> [Field] {
        func origin(_ column: String) throws -> String? {
            guard let rowID = contact.integer(column),
                let row = try db.row("SELECT source_id, record FROM input_rows WHERE id = ?", [.integer(rowID)])
            else { return nil }
            return lineage.reference(row.integer("source_id"), row.integer("record"))
        }
        let consentAt = contact.integer("consent_at")
        return [
            Field(
                field: "name", value: contact.text("name").map(masker.name), from: try origin("name_row"),
                rule: "most recent row with a name, then source priority"),
            Field(
                field: "email", value: contact.text("email").map(masker.email), from: try origin("email_row"),
                rule: "most recent row with an email, then source priority"),
            Field(
                field: "consent",
                value: (contact.text("consent") ?? "") + (consentAt.map { " at \(ISOTime.string($0))" } ?? ""),
                from: try origin("consent_row"), rule: contact.text("consent_rule") ?? "no consent cell"),
            Field(field: "sources", value: contact.text("sources"), from: nil, rule: "union of every row's source"),
            Field(field: "tags", value: contact.text("tags"), from: nil, rule: "union of every row's tags"),
        ]
    }

    /// The input row of `file:record`: the file as the reports name it, or the source name the
    /// ledger's evidence uses (no extension).
    static func rowID(_ db: some AuditSQLReader, lineage: Lineage, file: String, record: Int) throws -> Int64 {
        let files = lineage.fileNames
        guard
            let source = files.first(where: { $0.value == file })?.key
                ?? files.first(where: { ($0.value as NSString).deletingPathExtension == file })?.key,
            let rowID = try rowID(db, source: source, record: record)
        else {
            throw WamigrateError(
                .usage, "no record \(record) of '\(file)' in this job",
                hint: "name an extracted file as the reports show it: \(files.values.sorted().joined(separator: ", "))")
        }
        return rowID
    }

    /// The input row of a source's record. Extract numbers rows consecutively, source
    /// after source, so the id follows from the earlier sources' row counts: one
    /// primary-key read instead of a scan of every input row. Checked, with the scan
    /// as the fallback for a store where that does not hold.
    static func rowID(_ db: some AuditSQLReader, source: Int64, record: Int) throws -> Int64? {
        let before = try db.integer(
            "SELECT COALESCE(SUM(rows), 0) AS n FROM sources WHERE id < ?", [.integer(source)], column: "n")
        let guess = (before ?? 0) + Int64(record)
        if let id = try db.integer(
            "SELECT id FROM input_rows WHERE id = ? AND source_id = ? AND record = ?",
            [.integer(guess), .integer(source), .integer(Int64(record))], column: "id")
        {
            return id
        }
        return try db.integer(
            "SELECT id FROM input_rows WHERE source_id = ? AND record = ?",
            [.integer(source), .integer(Int64(record))],
            column: "id")
    }
}
