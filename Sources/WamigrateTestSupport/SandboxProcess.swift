import Foundation
import WamigrateHTTP

/// A `wamigrate sandbox` child process on a free loopback port, for one test.
public final class SandboxProcess {
    public let url: String
    private let process: Process

    /// Starts the built binary's sandbox with these flags and waits for its URL.
    public init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["sandbox", "--port", "0"] + arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([10]) { break }
            line.append(byte)
        }
        url = String(decoding: line, as: UTF8.self)
        guard url.hasPrefix("http://127.0.0.1:") else {
            process.terminate()
            throw SandboxStartError(output: url)
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// `GET /_sandbox/stats` as a dictionary.
    public func stats() throws -> [String: Any] {
        let response = try HTTPClient().send(HTTPRequest(url: url + "/_sandbox/stats"))
        return (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }

    public func stat(_ key: String) throws -> Int { (try stats()[key] as? NSNumber)?.intValue ?? -1 }

    public func fault(_ kind: String) throws -> Int {
        ((try stats()["faults"] as? [String: Any])?[kind] as? NSNumber)?.intValue ?? 0
    }

    /// SIGTERM, then the exit status (0 when it shut down cleanly).
    public func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

public struct SandboxStartError: Error, CustomStringConvertible {
    public var output: String
    public var description: String { "the sandbox did not print its URL (got '\(output)')" }
}
