import Foundation
import WamigratePostgres

/// A fresh PostgreSQL database for one test, on the server `WAMIGRATE_TEST_POSTGRES` names
/// (`scripts/test.sh` starts a throwaway cluster and sets it), dropped when this is released.
/// Keep it alive as long as the store.
public final class PostgresTestDatabase {
    public let address: PostgresAddress
    private let server: PostgresAddress
    private let name: String

    /// The server the tests use; nil when none is configured.
    public static var server: PostgresAddress? {
        ProcessInfo.processInfo.environment["WAMIGRATE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : PostgresAddress($0) }
    }

    /// True when the tests must run on PostgreSQL too (CI): a missing server is then a failure.
    public static var required: Bool { ProcessInfo.processInfo.environment["WAMIGRATE_REQUIRE_POSTGRES"] == "1" }

    public init() throws {
        guard let server = Self.server else {
            throw TestSupportError("WAMIGRATE_TEST_POSTGRES is not set (scripts/test.sh starts a cluster and sets it)")
        }
        self.server = server
        name = "wm_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        address = try PostgresDatabases.create(name, on: server)
    }

    deinit { try? PostgresDatabases.drop(name, on: server) }
}

struct TestSupportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
