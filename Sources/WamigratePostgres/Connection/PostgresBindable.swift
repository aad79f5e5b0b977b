import Foundation
import WamigrateBase
import WamigrateModel

/// A value sent as a statement parameter, in PostgreSQL's text form (nil is SQL NULL).
public protocol PostgresBindable {
    var postgresText: String? { get }
}

extension String: PostgresBindable { public var postgresText: String? { self } }
extension Int: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int64: PostgresBindable { public var postgresText: String? { String(self) } }
extension Double: PostgresBindable { public var postgresText: String? { "\(self)" } }
/// Booleans are stored as 0 and 1, as in the SQLite store, so both engines' SQL reads them alike.
extension Bool: PostgresBindable { public var postgresText: String? { self ? "1" : "0" } }

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? { self?.postgresText }
}

extension PostgresBindable where Self: RawRepresentable, RawValue == String {
    public var postgresText: String? { rawValue }
}

extension Channel: PostgresBindable {}
extension ConsentState: PostgresBindable {}
extension RowOutcome: PostgresBindable {}
extension ImportList: PostgresBindable {}
extension RunStatus: PostgresBindable {}
extension Stage: PostgresBindable {}
extension RegistrationStatus: PostgresBindable {}
extension ConsentEvent.Method: PostgresBindable {}
extension ConsentEvent.Kind: PostgresBindable {}
extension MessageState: PostgresBindable {}
extension MessageReason: PostgresBindable {}
extension CloudStatus: PostgresBindable {}
extension ReceiptStatus: PostgresBindable {}

/// A text array parameter (`= ANY($1)`), in PostgreSQL's array literal form.
struct PostgresArray: PostgresBindable {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    init(_ values: [Int64]) { self.values = values.map(String.init) }

    var postgresText: String? {
        "{"
            + values.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }
            .joined(separator: ",") + "}"
    }
}

/// Bytes as a `bytea` parameter (hex input form), kept exactly: a webhook body as received.
struct PostgresBytes: PostgresBindable {
    var data: Data

    var postgresText: String? { "\\x" + Hex.string(data) }
}
