import Foundation

/// An auditor checking a report: every figure is printed beside the SQL it came from, and
/// the auditor's procedure is to run that SQL on the store and compare. The one place the
/// end-to-end tests run SQL on a store to read it (fault staging is `StoreProbe`'s). A
/// PostgreSQL job (a `postgres://` URL) is read with `psql`, as the auditor would.
public enum Auditor {
    /// The rows a report's query gives, each value as text ("null" for NULL), as `sqlite3` or `psql` prints them.
    public static func recompute(_ query: String, in store: String) throws -> [[String]] {
        guard store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") else {
            return try StoreProbe(store).rows(query)
        }
        return try psql(query, on: store)
    }

    /// A single-number query's answer (the books' queries).
    public static func recomputeCount(_ query: String, in store: String) throws -> Int {
        guard store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") else {
            return try StoreProbe(store).int(query)
        }
        return Int(try psql(query, on: store).first?.first ?? "") ?? 0
    }

    /// The query's rows as `psql` prints them unaligned, fields apart by US (0x1F), NULL as "null".
    static func psql(_ query: String, on url: String) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psqlPath)
        process.arguments = [
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\u{1F}", "-P", "null=null", "-d", url, "-c", query,
        ]
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("psql failed: \(String(decoding: message, as: UTF8.self))\n\(query)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard !text.isEmpty else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
            .map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The newest server's `psql` (Debian's `postgresql` package), else the one on PATH.
    static var psqlPath: String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newest = versions.compactMap(Int.init).sorted().last.map { "\(root)/\($0)/bin/psql" }
        if let newest, FileManager.default.isExecutableFile(atPath: newest) { return newest }
        return "/usr/bin/psql"
    }
}
