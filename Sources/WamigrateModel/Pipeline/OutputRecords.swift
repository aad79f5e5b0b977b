import Foundation

/// One contact with a number, as contacts.csv shows it; `*From` name the row (`file:record`)
/// each picked field came from.
public struct ContactOutput: Sendable {
    public var contactID: String
    public var e164: String?
    public var region: String?
    public var numberType: String?
    public var name: String?
    public var email: String?
    public var consent: String?
    public var consentAt: Int64?
    public var sources: String?
    public var sourceRows: String?
    public var viberID: String?
    public var tags: String?
    public var language: String?
    public var conflict: String?
    public var nameFrom: String?
    public var emailFrom: String?
    public var consentFrom: String?
    public var consentRule: String?

    public init(contactID: String) { self.contactID = contactID }
}

/// One rejected input row, as rejected_rows.csv shows it (the hint is Core's).
public struct RejectedOutput: Sendable {
    public var sourceFile: String
    public var line: Int64
    public var record: Int64
    public var rawValue: String?
    public var reason: String
    public var flags: String?

    public init(sourceFile: String, line: Int64, record: Int64, rawValue: String?, reason: String, flags: String?) {
        self.sourceFile = sourceFile
        self.line = line
        self.record = record
        self.rawValue = rawValue
        self.reason = reason
        self.flags = flags
    }
}

/// One contact known only by a Viber id, as viber_only.csv shows it.
public struct ViberOnlyOutput: Sendable {
    public var contactID: String
    public var viberID: String?
    public var sourceFile: String
    public var line: Int64
    public var record: Int64
    public var name: String?
    public var consent: String?
    public var consentAt: Int64?
    public var sourceRows: String?
    /// Why its phone cell gave no number (`empty` when it had none).
    public var phoneReason: String?

    public init(contactID: String, sourceFile: String, line: Int64, record: Int64) {
        self.contactID = contactID
        self.sourceFile = sourceFile
        self.line = line
        self.record = record
    }
}

/// One row of an import list file, as the lists show it.
public struct ListEntryOutput: Sendable {
    public var list: String
    public var contactID: String?
    /// The number, or a review row's two candidates ("+39… | +36…").
    public var e164: String?
    public var waID: String?
    public var status: String?
    public var checkedAt: Int64?
    public var consent: String?
    public var channel: String?
    public var reason: String?
    public var viberID: String?
    /// The contact's rows, or a rejected row's `file:record`.
    public var sourceRows: String?
    public var consentSource: String?
    public var consentAt: Int64?
    public var consentEvidence: String?
    public var consentWordingVersion: String?

    public init(list: String) { self.list = list }
}

/// The ordered scans output files are written from, inside one read transaction.
public protocol OutputRows {
    /// Contacts with a number, by number.
    func forEachContact(_ visit: (ContactOutput) throws -> Void) throws
    /// Rejected rows, in input order.
    func forEachRejected(_ visit: (RejectedOutput) throws -> Void) throws
    /// Viber-only contacts, by their first row.
    func forEachViberOnly(_ visit: (ViberOnlyOutput) throws -> Void) throws
    /// Import list rows, in the order import wrote them.
    func forEachListEntry(_ visit: (ListEntryOutput) throws -> Void) throws
}
