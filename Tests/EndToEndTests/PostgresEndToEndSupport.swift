import Foundation
import Testing
import WamigrateBench
import WamigratePostgres
import WamigrateStore
import WamigrateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What the PostgreSQL end-to-end tests share: when they run, the job's URL with a password,
/// the two stores' outputs compared, and a writer held still while it holds the writer lock.
enum PostgresEndToEnd {
    /// A server is configured, or one is required (CI): then a missing one fails the tests
    /// (`PostgresTestDatabase()` throws) rather than skipping them.
    static var enabled: Bool { PostgresTestDatabase.server != nil || PostgresTestDatabase.required }

    /// The engines a test that takes a job's engine runs on: SQLite always, PostgreSQL when enabled.
    static var engines: [String] { enabled ? ["sqlite", "postgres"] : ["sqlite"] }

    /// A fresh database for a test on `engine` (nil on SQLite): keep it alive as long as the job.
    static func database(_ engine: String) throws -> PostgresTestDatabase? {
        engine == "postgres" ? try PostgresTestDatabase() : nil
    }

    static let root = Binary.packageRoot
    static let samples = [
        (path: root + "/samples/sms_subscribers.csv", mapping: "generic"),
        (path: root + "/samples/viber_subscribers.csv", mapping: "viber"),
    ]

    /// The generator's pair, read with explicit mappings.
    static func generated(_ files: ExportGenerator.Files) -> [(path: String, mapping: String)] {
        [(files.sms, "generic"), (files.viber, "viber")]
    }

    /// `run` on these inputs into `store`, writing every file into `out`.
    static func runArguments(store: String, out: String, _ inputs: [(path: String, mapping: String)]) -> [String] {
        ["run", "--store", store, "--out", out, "--default-region", "DE"]
            + inputs.flatMap { ["--mapping", $0.mapping] } + inputs.map(\.path)
    }

    /// `url` with `password` in its user info (the user kept, or the OS user's name when the URL
    /// names none). The test cluster trusts every local connection, so any password works.
    static func url(_ url: String, withPassword password: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
        guard let at = authority.firstIndex(of: "@") else {
            let user = ProcessInfo.processInfo.environment["PGUSER"] ?? NSUserName()
            return String(url[..<scheme.upperBound]) + user + ":" + password + "@" + String(rest)
        }
        let user = authority[..<at].split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return String(url[..<scheme.upperBound]) + user + ":" + password + String(rest[at...])
    }

    /// Every file under `folder`, relative path → bytes.
    static func files(under folder: String) -> [String: Data] {
        var all: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            all[relative] = FileManager.default.contents(atPath: path) ?? Data()
        }
        return all
    }

    static func entries(of folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }
}

// MARK: - Outputs compared across stores

enum SameOutputs {
    /// Read first, in this order; every other file after them, by name.
    static let leading = ["contacts.csv", "viber_only.csv", "rejected_rows.csv"]

    /// The files a run wrote into `out` except summary.json, in the fixed order the labels are given in.
    static func names(in out: String) -> [String] {
        let all = PostgresEndToEnd.entries(of: out).filter { $0 != "summary.json" }
        return leading.filter(all.contains) + all.filter { !leading.contains($0) }
    }

    /// Every output file of `actual` equals the one of `expected` once ids are labelled, and
    /// summary.json's books and stages agree.
    static func expect(
        _ actual: String, equals expected: String, ignoringInSummary extra: Set<String> = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let names = Self.names(in: expected)
        #expect(names.count >= 13, "the reference run wrote \(names)", sourceLocation: sourceLocation)
        #expect(Self.names(in: actual) == names, "the same files in both folders", sourceLocation: sourceLocation)
        // Contact ids are salted per job: each job's become labels in order of first appearance.
        let (left, right) = (OutputComparison.Labels(), OutputComparison.Labels())
        func text(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        for name in names {
            let want = left.relabel(text(expected + "/" + name))
            let got = right.relabel(text(actual + "/" + name))
            #expect(
                got == want, "\(name) differs: \(firstDifference(want, got))", sourceLocation: sourceLocation)
        }
        let (want, got) = (try Summary(expected), try Summary(actual))
        #expect(got.books == want.books, "books", sourceLocation: sourceLocation)
        #expect(got.booksBalanced, "books balanced", sourceLocation: sourceLocation)
        let (wantStages, gotStages) = (want.stages(ignoring: extra), got.stages(ignoring: extra))
        #expect(
            gotStages == wantStages, "summary.json's stages: \(firstDifference(wantStages, gotStages))",
            sourceLocation: sourceLocation)
    }

    /// The first line where two texts differ, both sides shown.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let (a, b) = (
            expected.split(separator: "\n", omittingEmptySubsequences: false),
            actual.split(separator: "\n", omittingEmptySubsequences: false)
        )
        for index in 0..<max(a.count, b.count) {
            let (x, y) = (index < a.count ? String(a[index]) : "<none>", index < b.count ? String(b[index]) : "<none>")
            if x != y {
                return "line \(index + 1) (of \(a.count) and \(b.count)): expected \(x.prefix(400)) got \(y.prefix(400))"
            }
        }
        return "none"
    }
}

/// summary.json, as far as two stores must agree on it: the books, and each stage's report
/// and row counts without what names a place or a time.
struct Summary {
    /// Paths, timings, the store's name, and normalize's library cache counters (which depend on
    /// how rows were split among its workers, not on the rows).
    static let placeAndTime: Set<String> = [
        "path", "files", "store", "seconds", "rows_per_second", "stage_seconds", "cache_hits", "library_calls",
    ]

    let json: [String: Any]

    init(_ out: String) throws {
        let data = FileManager.default.contents(atPath: out + "/summary.json") ?? Data()
        json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    var books: String { Self.text(json["books"] ?? NSNull()) }
    var booksBalanced: Bool { (json["books"] as? [String: Any])?["balanced"] as? Bool == true }

    /// Everything but the books and what `placeAndTime` and `extra` name, as sorted JSON lines.
    func stages(ignoring extra: Set<String>) -> String {
        var rest = json
        rest["books"] = nil
        return Self.text(Self.dropping(Self.placeAndTime.union(extra), from: rest))
    }

    static func dropping(_ keys: Set<String>, from value: Any) -> Any {
        if let object = value as? [String: Any] {
            var kept: [String: Any] = [:]
            for (key, inner) in object where !keys.contains(key) { kept[key] = dropping(keys, from: inner) }
            return kept
        }
        if let array = value as? [Any] { return array.map { dropping(keys, from: $0) } }
        return value
    }

    static func text(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted])
        else { return String(describing: value) }
        return String(decoding: data, as: UTF8.self)
    }
}

// MARK: - A writer held still with the lock

/// A `run` on PostgreSQL stopped (SIGSTOP) while it holds the writer lock: started, watched
/// through a reader connection until extract has committed (the lock is taken before extract
/// and given back only after import and the output files), stopped, and checked to be stopped
/// before import committed. Killed when released.
final class HeldWriter {
    let process: Process
    var pid: Int32 { process.processIdentifier }

    init(_ arguments: [String], address: PostgresAddress) throws {
        process = try Binary.start(arguments)
        let deadline = Date().addingTimeInterval(120)
        while !Self.completed(.extract, on: address) {
            guard process.isRunning else { throw HeldWriterError("the writer ended before extract committed") }
            guard Date() < deadline else { throw HeldWriterError("extract did not commit within 120 s") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(pid, SIGSTOP)
        try Self.waitUntilStopped(pid)
        guard !Self.completed(.import, on: address) else {
            throw HeldWriterError("the writer was stopped only after import committed; give it more rows")
        }
    }

    /// Lets the writer go on; returns its exit status.
    func resume() -> Int32 {
        kill(pid, SIGCONT)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// True once `stage` has a completed record on the job (read without the writer lock).
    static func completed(_ stage: Stage, on address: PostgresAddress) -> Bool {
        guard let store = try? PostgresJobStore(existing: address) else { return false }
        return (try? store.completedFingerprint(stage)) != nil
    }

    private static func waitUntilStopped(_ pid: Int32) throws {
        #if os(Linux)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")"),
                    stat[stat.index(after: close)...].split(separator: " ").first == "T"
                {
                    return
                }
                Thread.sleep(forTimeInterval: 0.001)
            }
            throw HeldWriterError("the writer did not stop on SIGSTOP")
        #else
            Thread.sleep(forTimeInterval: 0.05)
        #endif
    }
}

struct HeldWriterError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
