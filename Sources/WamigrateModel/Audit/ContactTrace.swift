import Foundation
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
}
