import Foundation
import GRDB
import Phone

#if canImport(Glibc)
    import Glibc
#endif

/// `wamigrate bench`: generates a messy pair of exports, runs the real binary on
/// them in a child process (release build for real figures), and reports rows/s,
/// per-stage seconds and the child's peak RSS; then re-checks every stored number
/// against plain libphonenumber calls.
public struct PipelineBenchmark {
    public var rows: Int
    public var directory: String
    public var executable: String
    public var verify: Bool

    public init(rows: Int, directory: String, executable: String, verify: Bool) {
        self.rows = rows
        self.directory = directory
        self.executable = executable
        self.verify = verify
    }

    public struct Figures: Codable, Sendable {
        public var rows: Int
        public var generateSeconds: Double
        public var runSeconds: Double
        public var rowsPerSecond: Double
        public var peakRSSMegabytes: Double
        public var stageSeconds: [String: Double]
        public var libraryCalls: Int
        public var cacheHits: Int
        public var contacts: Int
        public var rejected: Int
        public var booksBalanced: Bool
        public var verifiedRows: Int
        public var mismatches: Int
        /// `wamigrate report` on the benchmark's store, in its own process.
        public var reportSeconds = 0.0
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        let generateStart = Date()
        let files = try ExportGenerator(rows: rows).write(to: directory)
        let generateSeconds = Date().timeIntervalSince(generateStart)
        progress("generated \(files.smsRows) + \(files.viberRows) rows in \(String(format: "%.1f", generateSeconds)) s")
        let store = directory + "/bench.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }

        let child = try ChildRun.measure(
            executable: executable,
            arguments: [
                "run", "--store", store, "--out", directory + "/out", "--default-region", "DE",
                "--mapping", "generic", "--mapping", "viber", "--json", files.sms, files.viber,
            ], what: "the benchmark run")
        let seconds = child.seconds
        let data = child.stdout
        let summary = try JSONDecoder().decode(RunSummary.self, from: data)
        var figures = Figures(
            rows: rows, generateSeconds: generateSeconds, runSeconds: seconds, rowsPerSecond: Double(rows) / seconds,
            peakRSSMegabytes: child.peakRSSMegabytes, stageSeconds: summary.stageSeconds,
            libraryCalls: summary.normalize?.libraryCalls ?? 0, cacheHits: summary.normalize?.cacheHits ?? 0,
            contacts: summary.dedupe?.contacts ?? 0, rejected: summary.books.rejected, booksBalanced: summary.books.balanced,
            verifiedRows: 0, mismatches: 0)
        let report = try ChildRun.measure(
            executable: executable, arguments: ["report", "--store", store, "--out", directory + "/report"],
            what: "the report on the benchmark's store")
        figures.reportSeconds = report.seconds
        if verify {
            progress("checking every row against plain libphonenumber calls…")
            (figures.verifiedRows, figures.mismatches) = try ReferenceCheck(storePath: store).run()
        }
        return figures
    }
}

/// Re-derives each row's result in the normalizer's reference mode (no cache, no
/// separator-stripped key, `IsValidNumber` called on its own) and counts
/// disagreements with what the store holds.
public struct ReferenceCheck {
    public var storePath: String

    public init(storePath: String) { self.storePath = storePath }

    public func run() throws -> (checked: Int, mismatches: Int) {
        let store = try JobStore(path: storePath)
        let countries = CountryAliases.resolver(catalog: MappingCatalog())
        let jobRegion = try store.read { db in
            try String.fetchOne(db, sql: "SELECT config_json FROM runs ORDER BY id DESC LIMIT 1")
        }.flatMap { try? JSONDecoder().decode(JobConfig.self, from: Data($0.utf8)) }?.defaultRegion?.uppercased()
        let normalizer = PhoneNormalizer(reference: true)
        return try store.read { db in
            var sourceRegions: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, default_region FROM sources") {
                sourceRegions[row[0]] = (row[1] as String?)?.uppercased()
            }
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.phone_raw, r.country_raw, r.source_id, n.e164, n.number_type
                    FROM input_rows r JOIN normalized_rows n ON n.row_id = r.id
                    """)
            var checked = 0
            var mismatches = 0
            while let row = try cursor.next() {
                checked += 1
                let region = NormalizeStage.region(
                    country: row[1], sourceRegion: sourceRegions[row[2]], defaultRegion: jobRegion, countries: countries
                ).region
                let expected = normalizer.normalize(row[0], region: region)
                if (row[3] as String?) != expected.e164 || (row[4] as String?) != expected.type?.name { mismatches += 1 }
            }
            return (checked, mismatches)
        }
    }
}
