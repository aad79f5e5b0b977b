import Foundation
import WamigrateBase
import WamigrateModel

/// Writes the pipeline's files into `--out` from the store's ordered scans: contacts.csv,
/// rejected_rows.csv (with how to fix each reason), viber_only.csv. summary.json is the pipeline's.
public struct PipelineOutputs {
    public var directory: String
    /// How to fix a rejection, by its reason (Phone's `RejectReason.hint`).
    public var rejectionHint: (String) -> String?

    public init(directory: String, rejectionHint: @escaping (String) -> String?) {
        self.directory = OutputFolder.trimmed(directory)
        self.rejectionHint = rejectionHint
    }

    static let contactColumns = [
        "contact_id", "e164", "region", "number_type", "name", "email", "consent", "consent_at", "sources",
        "source_rows", "viber_id", "tags", "language", "conflict", "name_from", "email_from", "consent_from",
        "consent_rule",
    ]
    static let rejectedColumns = ["source_file", "line", "record", "raw_value", "reason", "hint", "flags"]
    static let viberColumns = [
        "contact_id", "viber_id", "source_file", "line", "record", "name", "consent", "consent_at", "source_rows",
        "phone_reason",
    ]

    public func write(store: any PipelineStore) throws -> WrittenOutputs {
        try OutputFolder.prepare(directory)
        let contacts = try CSVWriter(path: directory + "/contacts.csv", header: Self.contactColumns)
        let rejected = try CSVWriter(path: directory + "/rejected_rows.csv", header: Self.rejectedColumns)
        let viber = try CSVWriter(path: directory + "/viber_only.csv", header: Self.viberColumns)
        var counts = (contacts: 0, rejected: 0, viber: 0)
        try store.readOutputs { rows in
            try rows.forEachContact { c in
                counts.contacts += 1
                contacts.write([
                    c.contactID, c.e164, c.region, c.numberType, c.name, c.email, c.consent,
                    c.consentAt.map(ISOTime.string), c.sources, c.sourceRows, c.viberID, c.tags, c.language, c.conflict,
                    c.nameFrom, c.emailFrom, c.consentFrom, c.consentRule,
                ])
            }
            try rows.forEachRejected { r in
                counts.rejected += 1
                rejected.write([
                    r.sourceFile, String(r.line), String(r.record), r.rawValue, r.reason, rejectionHint(r.reason), r.flags,
                ])
            }
            try rows.forEachViberOnly { v in
                counts.viber += 1
                viber.write([
                    v.contactID, v.viberID, v.sourceFile, String(v.line), String(v.record), v.name, v.consent,
                    v.consentAt.map(ISOTime.string), v.sourceRows, v.phoneReason == "empty" ? nil : v.phoneReason,
                ])
            }
        }
        try contacts.finish()
        try rejected.finish()
        try viber.finish()
        return WrittenOutputs(
            contacts: counts.contacts, rejected: counts.rejected, viberOnly: counts.viber,
            files: ["contacts.csv", "rejected_rows.csv", "viber_only.csv"].map { directory + "/" + $0 })
    }
}

/// Writes whatsapp_ready, reconsent, unreachable, rejected and review, each as .csv and
/// .jsonl, from one ordered scan of the stored lists. A review row's `e164` holds both
/// candidate numbers, its `reason` why the tool did not pick.
public struct ImportListFiles {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    public static let columns = [
        "list", "contact_id", "e164", "wa_id", "status", "checked_at", "consent", "channel", "reason", "viber_id",
        "source_rows", "consent_source", "consent_at", "consent_evidence", "consent_wording_version",
    ]

    public func write(store: any PipelineStore) throws -> [String] {
        let folder = try OutputFolder.prepare(directory)
        var writers: [String: (csv: CSVWriter, json: JSONLinesWriter)] = [:]
        var files: [String] = []
        for list in ImportList.allCases {
            let csvPath = "\(folder)/\(list.rawValue).csv"
            let jsonPath = "\(folder)/\(list.rawValue).jsonl"
            writers[list.rawValue] = (
                try CSVWriter(path: csvPath, header: Self.columns), try JSONLinesWriter(path: jsonPath, keys: Self.columns)
            )
            files += [csvPath, jsonPath]
        }
        try store.readOutputs { rows in
            try rows.forEachListEntry { e in
                guard let writer = writers[e.list] else { return }
                let values: [String?] = [
                    e.list, e.contactID, e.e164, e.waID, e.status, e.checkedAt.map(ISOTime.string), e.consent, e.channel,
                    e.reason, e.viberID, e.sourceRows, e.consentSource, e.consentAt.map(ISOTime.string),
                    e.consentEvidence, e.consentWordingVersion,
                ]
                writer.csv.write(values)
                writer.json.write(values)
            }
        }
        for list in ImportList.allCases {
            try writers[list.rawValue]?.csv.finish()
            try writers[list.rawValue]?.json.finish()
        }
        return files
    }
}
