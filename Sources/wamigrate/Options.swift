import ArgumentParser
import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// Flags every store-using command shares.
struct StoreOptions: ParsableArguments {
    @Option(
        help: "The job store: a SQLite file, or a PostgreSQL database (postgres://user@host:port/db); run and extract create it.")
    var store: String

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "Log what each stage does on stderr (the same as --log-level info).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors: no summary, no progress bar (--json still prints its JSON).")
    var quiet = false

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error or critical (default warning).")
    var logLevel: Logger.Level?

    @Option(
        help: ArgumentHelp(
            "Snapshots of the store kept in <store>.backups/, taken before a command replaces earlier results (0: none)."))
    var keepBackups = StoreBackup.defaultKeep

    /// Opens the store to write for a campaign command, snapshotting a SQLite job first when it
    /// holds one (import has run), as before any command that changes consent or sends. A
    /// PostgreSQL job is backed up by the server's means (the README says so); `sender` opens it
    /// beside other senders (`StoreEngines.openJob`).
    func openForCampaign(_ reason: String, sender: Bool = false) throws -> any JobStoring {
        let command = CommandLine.arguments.joined(separator: " ")
        let jobStore = try StoreEngines.openJob(path: store, command: command, sender: sender)
        if let sqlite = jobStore as? JobStore, keepBackups > 0, sqlite.hasImported() {
            try StoreBackup.take(sqlite, reason: "before-" + reason, keep: keepBackups)
        }
        return jobStore
    }

    func logger() -> Logger {
        LoggingBootstrap.once
        var logger = Logger(label: "wamigrate")
        logger.logLevel = logLevel ?? (quiet ? .error : verbose ? .info : .warning)
        return logger
    }
}

/// Flags that describe the job: inputs, mappings, regions.
struct JobOptions: ParsableArguments {
    @Option(help: "A job config file (YAML): default_region, mappings_dir, sources. Flags override it.")
    var config: String?

    @Option(
        help: "Region for numbers without + when the row and the source do not say (ISO 3166 alpha-2).",
        completion: .custom(Completions.regions))
    var defaultRegion: String?

    @Option(
        help: ArgumentHelp(
            "Mapping profile per input, in the order of the files: a name from mappings/, a .yml path, or auto.",
            valueName: "PROFILE_OR_FILE"), completion: .custom(Completions.profiles))
    var mapping: [String] = []

    @Option(help: "Folder of mapping profiles (default: $WAMIGRATE_MAPPINGS, ./mappings, or the checkout's).")
    var mappingsDir: String?

    @Argument(help: "Export files (CSV) to read; - reads one from standard input.", completion: Completions.exports)
    var inputs: [String] = []

    @OptionGroup var consent: ConsentOptions

    func validate() throws {
        try validateRegion(defaultRegion)
        if mapping.count > inputs.count && !inputs.isEmpty {
            throw ValidationError("more --mapping options (\(mapping.count)) than input files (\(inputs.count))")
        }
    }

    func jobConfig() throws -> JobConfig {
        var config = try config.map(JobConfig.load(path:)) ?? JobConfig()
        if let defaultRegion { config.defaultRegion = defaultRegion.uppercased() }
        if let mappingsDir { config.mappingsDir = mappingsDir }
        consent.apply(to: &config)
        guard inputs.filter({ $0 == "-" }).count <= 1 else {
            throw WamigrateError(.usage, "standard input (-) can be read once", hint: "give - for one export only")
        }
        for (index, input) in inputs.enumerated() {
            let profile = index < mapping.count ? mapping[index] : (mapping.count == 1 ? mapping[0] : nil)
            config.sources.append(SourceSpec(path: input == "-" ? try Self.stdinCopy() : input, mapping: profile))
        }
        return config
    }

    /// `-`: standard input, kept as `stdin.csv` in a private temporary folder (extract reads a
    /// file twice: to sniff it, then to load it; the manifest records its size and SHA-256).
    static func stdinCopy() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wamigrate-stdin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("stdin.csv").path
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw WamigrateError(.output, "cannot keep standard input", hint: "check that $TMPDIR is writable")
        }
        TemporaryInputs.add(folder.path)
        return path
    }
}

/// The job's consent policy, from the config file or the flag.
struct ConsentOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Consent sources that count for WhatsApp, comma-separated: export, export:sms, export:viber, campaign_reply, ... (default: export,campaign_reply).",
            valueName: "SOURCES"))
    var whatsappConsent: String?

    func apply(to config: inout JobConfig) {
        if let whatsappConsent {
            config.consent.whatsappSources = whatsappConsent.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
    }
}

enum LoggingBootstrap {
    static let once: Void = LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
}

/// Turns library errors into stderr text and the documented exit codes.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as WamigrateError {
        report(error)
        throw ExitCode(error.code.exitCode)
    }
}

func runReportingErrorsAsync(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as WamigrateError {
        report(error)
        throw ExitCode(error.code.exitCode)
    }
}

/// An error as text on stderr; under `--json` also as one JSON object on stdout
/// (`{"error": {"code", "exit", "message", "hint", "file", "line", "column"}}`), so a
/// script reading stdout always gets JSON.
func report(_ error: WamigrateError) {
    Stderr.write("wamigrate: \(error)\n")
    guard CommandLine.arguments.contains("--json") else { return }
    var object: [String: Any] = [
        "code": error.code.rawValue, "exit": Int(error.code.exitCode), "message": Terminal.printable(error.message),
        "hint": Terminal.printable(error.hint),
    ]
    if let location = error.location {
        object["file"] = location.file
        if let line = location.line { object["line"] = line }
        if let column = location.column { object["column"] = column }
    }
    if let data = try? JSONSerialization.data(withJSONObject: ["error": object], options: [.prettyPrinted, .sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    print(String(decoding: try JSONEncoder.output.encode(value), as: UTF8.self))
}

var commandLine: String { CommandLine.arguments.joined(separator: " ") }

/// Library checks run from `validate()`: their errors become usage errors (exit 64).
func asUsageError(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as WamigrateError {
        throw ValidationError("\(error.message); \(error.hint)")
    }
}

/// Text to stderr through write(2): a closed or broken stderr must not trap (FileHandle.write does).
enum Stderr {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(2, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// `--default-region` as typed: a usage error (64) when libphonenumber does not know it.
func validateRegion(_ region: String?) throws {
    guard let region else { return }
    guard JobConfig.isKnownRegion(region) else {
        throw ValidationError(
            "--default-region '\(Terminal.printable(region))' is not a region libphonenumber knows: use an ISO 3166 alpha-2 code such as DE, GB, BR"
        )
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    public static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}

/// Shell completions for the values users type most: profiles, regions, export files.
enum Completions {
    @Sendable static func profiles(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        (MappingCatalog().names() + ["auto"]).filter { $0.hasPrefix(prefix) }
    }

    @Sendable static func regions(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        JobConfig.knownRegions.filter { $0.hasPrefix(prefix.uppercased()) }
    }

    static let exports = CompletionKind.file(extensions: ["csv", "txt", "tsv"])
}

/// Copies of standard input made for this command; removed when it ends (they hold personal data).
enum TemporaryInputs {
    nonisolated(unsafe) private static var folders: [String] = []

    static func add(_ folder: String) { folders.append(folder) }

    static func removeAll() {
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        folders = []
    }
}
