import Foundation
import Phone
import WamigrateBase
import WamigrateCore
import WamigratePostgres
import WamigrateStore

#if canImport(Glibc)
    import Glibc
#endif

/// `wamigrate bench`: generates a messy pair of exports with known answers, runs the
/// real binary on them in a child process (release build for real figures) once per
/// mapping mode, and reports rows/s, per-stage seconds, the child's peak RSS and the
/// agreement with the generator's truth; then re-checks every stored number against
/// plain libphonenumber calls (the fast path against the reference path).
public struct PipelineBenchmark {
    public var rows: Int
    public var seed: UInt64
    public var directory: String
    public var executable: String
    public var verify: Bool
    public var modes: [MappingMode]
    /// Measure the native floors on the same files after the runs.
    public var floors = true
    /// An interpreter with `phonenumbers` (Tests/Benchmarks/requirements.txt) and the plain
    /// script, to time it on the same files; nil: not run.
    public var python: (interpreter: String, script: String)?
    /// A PostgreSQL server to run the same pair on too (a database per leg); nil: not run.
    public var postgres: PostgresAddress?

    /// How the run is told which profile each export has.
    public enum MappingMode: String, Codable, Sendable, CaseIterable {
        /// `--mapping generic --mapping viber`
        case explicit
        /// no `--mapping`: the tool detects the profiles
        case auto
    }

    public init(
        rows: Int, seed: UInt64 = 42, directory: String, executable: String, verify: Bool,
        modes: [MappingMode] = MappingMode.allCases
    ) {
        self.rows = rows
        self.seed = seed
        self.directory = directory
        self.executable = executable
        self.verify = verify
        self.modes = modes
    }

    public struct Figures: Codable, Sendable {
        public var rows: Int
        public var seed: UInt64
        public var generateSeconds: Double
        public var runs: [ModeFigures]
        public var floor: NativeFloor?
        public var python: PythonBaseline?
        public var postgres: PostgresBenchmark.Figures?
    }

    public struct ModeFigures: Codable, Sendable {
        public var mode: MappingMode
        public var runSeconds: Double
        public var rowsPerSecond: Double
        public var peakRSSMegabytes: Double
        public var stageSeconds: [String: Double]
        public var libraryCalls: Int
        public var cacheHits: Int
        public var contacts: Int
        public var rejected: Int
        public var booksBalanced: Bool
        public var ambiguous: [String: Int]
        public var profiles: [String]
        public var truth: TruthCheck.Figures
        public var verifiedRows = 0
        public var mismatches = 0
        /// `wamigrate report` on the benchmark's store, in its own process.
        public var reportSeconds = 0.0
        /// `wamigrate trace` of one contact, in its own process (start-up included).
        public var traceSeconds = 0.0
        /// The store file after the run (WAL checkpointed at close).
        public var storeMegabytes = 0.0
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        let generateStart = Date()
        let files = try ExportGenerator(rows: rows, seed: seed).write(to: directory)
        let generateSeconds = Date().timeIntervalSince(generateStart)
        progress("generated \(files.smsRows) + \(files.viberRows) rows in \(String(format: "%.1f", generateSeconds)) s")
        var figures = Figures(rows: rows, seed: seed, generateSeconds: generateSeconds, runs: [])
        for mode in modes {
            figures.runs.append(try run(mode, files: files, progress: progress))
        }
        if let postgres, modes.contains(.explicit) {
            figures.postgres = try PostgresBenchmark(server: postgres, executable: executable, directory: directory).run(
                sms: files.sms, viber: files.viber, sqliteOut: directory + "/out-explicit", progress: progress)
        }
        if floors {
            progress("native floors: read, one library call per row in two processes, sort, bulk insert…")
            figures.floor = try NativeFloor.measure(
                files: [files.sms, files.viber], directory: directory, executable: executable, region: "DE")
        }
        if let python {
            progress("the plain Python script on the same files…")
            figures.python = try PythonBaseline.run(
                python: python.interpreter, script: python.script, sms: files.sms, viber: files.viber,
                out: directory + "/plain-python.sqlite", region: "DE")
        }
        return figures
    }

    private func run(_ mode: MappingMode, files: ExportGenerator.Files, progress: (String) -> Void) throws -> ModeFigures {
        let store = directory + "/bench-\(mode.rawValue).sqlite"
        JobStore.removeFiles(at: store)
        let mappings = mode == .explicit ? ["--mapping", "generic", "--mapping", "viber"] : []
        progress("\(mode.rawValue) mappings: running the pipeline…")
        let child = try ChildRun.measure(
            executable: executable,
            arguments: ["run", "--store", store, "--out", directory + "/out-\(mode.rawValue)", "--default-region", "DE"]
                + mappings + ["--json", files.sms, files.viber], what: "the benchmark run")
        let summary = try JSONDecoder.output.decode(ChildSummary.self, from: child.stdout)
        progress("\(mode.rawValue) mappings: checking every row against the generator's truth…")
        var figures = ModeFigures(
            mode: mode, runSeconds: child.seconds, rowsPerSecond: Double(rows) / child.seconds,
            peakRSSMegabytes: child.peakRSSMegabytes, stageSeconds: summary.stageSeconds,
            libraryCalls: summary.normalize?.libraryCalls ?? 0, cacheHits: summary.normalize?.cacheHits ?? 0,
            contacts: summary.dedupe?.contacts ?? 0, rejected: summary.books.rejected, booksBalanced: summary.books.balanced,
            ambiguous: summary.normalize?.ambiguous ?? [:],
            profiles: summary.extract?.sources.map { "\($0.name): \($0.profile)" } ?? [],
            truth: try TruthCheck(storePath: store, truthPath: files.truth).run())
        let report = try ChildRun.measure(
            executable: executable, arguments: ["report", "--store", store, "--out", directory + "/report-\(mode.rawValue)"],
            what: "the report on the benchmark's store")
        figures.reportSeconds = report.seconds
        figures.storeMegabytes = Double(Self.fileSize(store) + Self.fileSize(store + "-wal")) / 1_048_576
        let someone = try JobStore(existingAt: store).middleContactID()
        if let someone {
            figures.traceSeconds = try ChildRun.measure(
                executable: executable, arguments: ["trace", "--store", store, someone], what: "trace of one contact"
            ).seconds
        }
        if verify {
            progress("\(mode.rawValue) mappings: checking every row against plain libphonenumber calls…")
            (figures.verifiedRows, figures.mismatches) = try ReferenceCheck(storePath: store).run()
        }
        return figures
    }
}

extension PipelineBenchmark {
    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// Re-derives each row's result in the normalizer's reference mode (no cache, no
/// separator-stripped key, `IsValidNumber` called on its own) and counts
/// disagreements with what the store holds.
public struct ReferenceCheck {
    public var storePath: String

    public init(storePath: String) { self.storePath = storePath }

    public func run() throws -> (checked: Int, mismatches: Int) {
        let store = try JobStore(existingAt: storePath)
        let countries = CountryAliases.resolver(catalog: MappingCatalog())
        let jobRegion = try store.lastRunConfigJSON().flatMap { try? JSONDecoder().decode(JobConfig.self, from: Data($0.utf8)) }?
            .defaultRegion?.uppercased()
        let normalizer = PhoneNormalizer(reference: true)
        let sources = NormalizeStage.sourceFacts(try store.sourceSettings())
        var checked = 0
        var mismatches = 0
        try store.forEachNormalizedCell { cell in
            checked += 1
            let source = sources[cell.sourceID]
            let region = NormalizeStage.region(
                country: cell.country, sourceRegion: source?.defaultRegion, defaultRegion: jobRegion, countries: countries
            ).hint
            let expected = normalizer.normalize(
                cell.phone, region: region, format: source?.phoneFormat ?? .mixed, columnDigits: source?.columnDigits ?? 0)
            if cell.e164 != expected.e164 || cell.numberType != expected.type?.name { mismatches += 1 }
        }
        return (checked, mismatches)
    }
}
