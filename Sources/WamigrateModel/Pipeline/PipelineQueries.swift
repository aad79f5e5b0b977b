/// The pipeline's ordered reads, the same SQL on every engine: dedupe's rows in key order and
/// the scans the output files are written from. Each engine says how it compares text byte by
/// byte and which column keeps import's insertion order; the rest (columns, joins, order) is
/// said once, so both engines' contacts and files come out alike.
public struct PipelineQueries: Sendable {
    /// Appended to a text expression to order it byte by byte: "" on SQLite (its default),
    /// ` COLLATE "C"` on PostgreSQL (whatever the database's collation).
    public var byteOrder: String
    /// The column in the order import wrote its rows (`rowid`, or an identity column).
    public var listOrder: String

    public init(byteOrder: String, listOrder: String) {
        self.byteOrder = byteOrder
        self.listOrder = listOrder
    }

    /// Every row that makes a contact, in (key, row) order: rows with a number under it;
    /// Viber-only rows under the number of a row with the same Viber id (`linked`), else under
    /// `~` and their Viber id. Then the input row's fields a `MergeRow` takes, then what the
    /// key's contact takes from normalize.
    public var rowsInKeyOrder: String {
        """
        \(viberLink)
        SELECT key, row_id, source_id, record, name, email, consent, consent_at, seen_at, viber_id, tags, language,
               region, number_type, linked FROM (
        \(keyed(MergeRow.columns))
        ) AS keyed ORDER BY key\(byteOrder), row_id
        """
    }

    /// Every row that makes a contact with its key, unordered (`key`, `row_id`, `region`,
    /// `number_type`, `linked`): what `rowsInKeyOrder` sorts, without the input row's fields, for
    /// an engine that numbers the rows once and reads them in parts (PostgreSQL's shared dedupe).
    public var rowKeys: String {
        """
        \(viberLink)
        SELECT key, row_id, region, number_type, linked FROM (
        \(keyed("r.id AS row_id"))
        ) AS keyed
        """
    }

    /// Each Viber id of a row with a number, with the lowest such number.
    private var viberLink: String {
        """
        WITH viber_link AS MATERIALIZED (
          SELECT r.viber_id AS viber_id, MIN(n.e164\(byteOrder)) AS e164
          FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
          WHERE n.outcome = \(RowOutcome.ok.quoted) AND r.viber_id IS NOT NULL GROUP BY r.viber_id)
        """
    }

    /// The three kinds of keyed rows, each with `row` (columns of `r`, the input row), then what
    /// the contact takes from normalize (nothing from a Viber-only row), then `linked`.
    private func keyed(_ row: String) -> String {
        let (ok, viberOnly) = (RowOutcome.ok.quoted, RowOutcome.viberOnly.quoted)
        return """
              SELECT n.e164 AS key, \(row), n.region, n.number_type, 0 AS linked
              FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = \(ok)
              UNION ALL
              SELECT v.e164, \(row), NULL, NULL, 1
              FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
              JOIN viber_link v ON v.viber_id = r.viber_id WHERE n.outcome = \(viberOnly)
              UNION ALL
              SELECT '~' || r.viber_id, \(row), NULL, NULL, 0
              FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
              LEFT JOIN viber_link v ON v.viber_id = r.viber_id WHERE n.outcome = \(viberOnly) AND v.viber_id IS NULL
            """
    }

    /// Contacts with a number, by number, with the rows each merged field came from.
    public var contacts: String {
        """
        SELECT c.id AS contact_id, c.e164, c.region, c.number_type, c.name, c.email, c.consent, c.consent_at,
               c.sources, c.source_rows, c.viber_id, c.tags, c.language, c.conflict,
               n.source_id AS name_source_id, n.record AS name_record, e.source_id AS email_source_id,
               e.record AS email_record, k.source_id AS consent_source_id, k.record AS consent_record, c.consent_rule
        FROM contacts c
        LEFT JOIN input_rows n ON n.id = c.name_row
        LEFT JOIN input_rows e ON e.id = c.email_row
        LEFT JOIN input_rows k ON k.id = c.consent_row
        WHERE c.e164 IS NOT NULL ORDER BY c.e164\(byteOrder)
        """
    }

    /// Rejected rows, in input order.
    public var rejected: String {
        """
        SELECT r.source_id, r.line, r.record, r.phone_raw, n.reason, n.flags
        FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
        WHERE n.outcome = \(RowOutcome.rejected.quoted) ORDER BY r.id
        """
    }

    /// Viber-only contacts, by their first row.
    public var viberOnly: String {
        """
        SELECT c.id AS contact_id, c.viber_id, r.source_id, r.line, r.record, c.name, c.consent, c.consent_at,
               c.source_rows, n.reason AS phone_reason
        FROM contacts c JOIN input_rows r ON r.id = c.first_row JOIN normalized_rows n ON n.row_id = c.first_row
        WHERE c.e164 IS NULL ORDER BY c.first_row
        """
    }

    /// Import list rows, in the order import wrote them, with their consent evidence.
    public var listEntries: String {
        """
        SELECT l.list, l.contact_id, COALESCE(c.e164, n.candidates) AS e164, g.wa_id, l.status, g.checked_at,
               COALESCE(l.consent, c.consent) AS consent, l.channel, l.reason, c.viber_id, c.source_rows,
               r.source_id AS row_source_id, r.record AS row_record, e.source AS consent_source,
               e.at AS consent_at, e.evidence AS consent_evidence, e.wording_version AS consent_wording_version
        FROM import_lists l
        LEFT JOIN consent_events e ON e.id = l.consent_event
        LEFT JOIN contacts c ON c.id = l.contact_id
        LEFT JOIN registrations g ON g.e164 = c.e164
        LEFT JOIN input_rows r ON r.id = l.row_id
        LEFT JOIN normalized_rows n ON n.row_id = l.row_id AND l.list = 'review'
        ORDER BY l.\(listOrder)
        """
    }
}
