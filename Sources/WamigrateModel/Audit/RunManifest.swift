import Foundation
import WamigrateBase

/// What a run was made from, stored with the run (table `run_manifests`) and
/// shown in the report: the tool and libphonenumber builds, every input file
/// with its size and SHA-256, the effective configuration and mapping profiles
/// (secrets removed), and when each stage ran.
public struct RunManifest: Codable, Sendable {
    public struct Tool: Codable, Sendable {
        public var version: String
        public var gitRevision: String
        public init(version: String, gitRevision: String) {
            self.version = version
            self.gitRevision = gitRevision
        }
    }

    public struct PhoneLibrary: Codable, Sendable {
        /// The loaded shared object, e.g. libphonenumber.so.8.12.
        public var library: String
        /// Debian's package version, when dpkg knows it.
        public var package: String
        /// The numbering plans in force: the version shipped with the tool (or "NOT IN
        /// FORCE" when the library runs on its built-in plans) and a fingerprint of the
        /// regions, calling codes and example numbers, which changes whenever they do.
        public var metadataFingerprint: String
        public init(library: String, package: String, metadataFingerprint: String) {
            self.library = library
            self.package = package
            self.metadataFingerprint = metadataFingerprint
        }
    }

    public struct Input: Codable, Sendable {
        public var name: String
        public var path: String
        public var size: Int64
        public var sha256: String
        public var encoding: String
        public var delimiter: String
        public var profile: String
        public var channel: String
        public var records: Int
        public init(
            name: String, path: String, size: Int64, sha256: String, encoding: String, delimiter: String, profile: String,
            channel: String, records: Int
        ) {
            self.name = name
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.encoding = encoding
            self.delimiter = delimiter
            self.profile = profile
            self.channel = channel
            self.records = records
        }
    }

    public struct StageTime: Codable, Sendable {
        public var stage: String
        /// The run that computed the results in the store (an earlier one when this run skipped the stage).
        public var runID: Int64
        public var skipped: Bool
        public var startedAt: String
        public var finishedAt: String
        public var rowsIn: Int
        public var rowsOut: Int
        public init(stage: String, runID: Int64, skipped: Bool, startedAt: String, finishedAt: String, rowsIn: Int, rowsOut: Int)
        {
            self.stage = stage
            self.runID = runID
            self.skipped = skipped
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.rowsIn = rowsIn
            self.rowsOut = rowsOut
        }
    }

    public var runID: Int64
    public var command: String
    public var dryRun: Bool
    public var status: String
    public var startedAt: String
    public var finishedAt: String?
    public var tool: Tool
    public var phonenumber: PhoneLibrary
    public var inputs: [Input]
    public var configuration: JSONValue
    public var profiles: [String: JSONValue]
    public var stages: [StageTime]
    /// The books when the run finished.
    public var books: Books

    public init(
        runID: Int64, command: String, dryRun: Bool, status: String, startedAt: String, finishedAt: String?, tool: Tool,
        phonenumber: PhoneLibrary, inputs: [Input], configuration: JSONValue, profiles: [String: JSONValue], stages: [StageTime],
        books: Books
    ) {
        self.runID = runID
        self.command = command
        self.dryRun = dryRun
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.tool = tool
        self.phonenumber = phonenumber
        self.inputs = inputs
        self.configuration = configuration
        self.profiles = profiles
        self.stages = stages
        self.books = books
    }
}
