import Crypto
import Foundation
import WamigrateBase

/// A merged contact as every engine stores it: the sixteen columns a contact row takes from
/// its rows and the fields survivorship picked (the identity columns, id, e164, region and
/// number type, come from dedupe). One place says how sources, tags, lineage and conflicts
/// are written, so both engines' contacts read alike.
public struct StoredContact {
    public var viberID: String?
    public var name: String?
    public var nameRow: Int64?
    public var email: String?
    public var emailRow: Int64?
    public var consent: ConsentState
    public var consentAt: Int64?
    public var consentRow: Int64?
    public var consentRule: String?
    public var language: String?
    public var sources: String
    public var tags: String?
    public var rowCount: Int
    public var firstRow: Int64
    public var sourceRows: String
    public var conflict: String?

    /// `rows` in row order (not empty); `names` each source's name by id.
    public init(_ contact: MergedContact, rows: [MergeRow], names: [Int64: String], lineage: Lineage) {
        viberID = contact.viberID?.value
        (name, nameRow) = (contact.name?.value, contact.name?.row)
        (email, emailRow) = (contact.email?.value, contact.email?.row)
        (consent, consentAt, consentRow, consentRule) = (
            contact.consent, contact.consentAt, contact.consentRow, contact.consentRule
        )
        language = contact.language?.value
        sources =
            contact.sourceIDs.count == 1
            ? names[contact.sourceIDs[0]] ?? "" : contact.sourceIDs.compactMap { names[$0] }.joined(separator: ",")
        tags = contact.tags.isEmpty ? nil : contact.tags.joined(separator: ",")
        rowCount = rows.count
        firstRow = rows[0].id
        sourceRows = rows.map { lineage.reference($0.sourceID, $0.record) }.joined(separator: " ")
        conflict = contact.conflicts.isEmpty ? nil : contact.conflicts.joined(separator: ",")
    }

    /// `c` + 16 hex digits of SHA-256(job salt | key): stable within a job, opaque outside it.
    public static func id(salt: String, key: String) -> String {
        let digest = SHA256.hash(data: Data("\(salt)|\(key)".utf8))
        return "c" + Hex.string(digest.prefix(8))
    }
}
