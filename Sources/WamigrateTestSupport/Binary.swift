import Foundation

/// Runs the built `wamigrate` executable, as a user would.
public struct Binary {
    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The executable next to the test bundle, in the same build folder.
    public static var path: String {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            url = URL(fileURLWithPath: bundle.bundlePath)
        }
        var directory = url.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("wamigrate").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().appendingPathComponent("wamigrate").path
    }

    /// The package root, for the shipped samples and mappings.
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// The binary set up to run with these arguments, and the checkout's mappings.
    static func process(_ arguments: [String], in directory: String?, environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env["WAMIGRATE_MAPPINGS"] = packageRoot + "/mappings"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return process
    }

    /// Starts the binary without waiting (stdout and stderr discarded), for tests that kill it.
    public static func start(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws
        -> Process
    {
        let process = process(arguments, in: directory, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @discardableResult
    public static func run(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], input: Data? = nil
    ) throws -> Result {
        let process = process(arguments, in: directory, environment: environment)
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        // stderr goes to a file so a chatty child can never block on a full pipe.
        let errPath = NSTemporaryDirectory() + "wamigrate-stderr-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe()
        let errHandle = FileHandle(forWritingAtPath: errPath)!
        process.standardOutput = out
        process.standardError = errHandle
        try process.run()
        if let input {
            // Written from another thread: the child may fill stdout before it reads all of stdin.
            let writer = stdin.fileHandleForWriting
            Thread {
                writer.write(input)
                try? writer.close()
            }.start()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errHandle.close()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
