import Foundation
import WamigrateBase

/// Databases on a server, for whoever sets jobs up (and the tests, which give every test its
/// own): one job per database, so a new job is a new database.
public enum PostgresDatabases {
    /// Creates database `name` on the server `server` reaches (any database there) and returns
    /// the address of the new one. `name` is lower-case letters, digits and `_`.
    public static func create(_ name: String, on server: PostgresAddress) throws -> PostgresAddress {
        try checkName(name)
        let connection = try PostgresConnection(server)
        try connection.run("CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8'")
        return server.replacingDatabase(with: name)
    }

    /// Drops database `name`, closing whatever connections it still has.
    public static func drop(_ name: String, on server: PostgresAddress) throws {
        try checkName(name)
        let connection = try PostgresConnection(server)
        try connection.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The database's size on disk, in bytes (`pg_database_size`).
    public static func size(of database: PostgresAddress) throws -> Int64 {
        let connection = try PostgresConnection(database)
        return try connection.execute("SELECT pg_database_size(current_database())").int64(0, 0) ?? 0
    }

    private static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw WamigrateError(.usage, "database name must be lower-case letters, digits and _", hint: "pick another name")
        }
    }
}

extension PostgresAddress {
    /// The same server, user and options, another database.
    func replacingDatabase(with name: String) -> PostgresAddress {
        guard let scheme = url.range(of: "://") else { return self }
        let rest = url[scheme.upperBound...]
        let query = rest.firstIndex(of: "?")
        let path = rest[..<(query ?? rest.endIndex)]
        let hostEnd = path.firstIndex(of: "/") ?? path.endIndex
        return PostgresAddress(String(url[..<hostEnd]) + "/" + name + (query.map { String(url[$0...]) } ?? ""))!
    }
}
