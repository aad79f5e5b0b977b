import Foundation
import WamigrateHTTP

/// `wamigrate sandbox --port 0` (or another server command, such as `webhook serve
/// --port 0`) as a child process: started, its URL read from the first line it
/// prints, its counters read over HTTP, stopped with SIGTERM. The benchmarks and the
/// tests use it.
public final class SandboxChild {
    public let url: String
    private let process = Process()
    private let out = Pipe()

    public init(
        executable: String, command: [String] = ["sandbox"], arguments: [String] = [],
        environment: [String: String] = [:]
    ) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = command + ["--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
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
        guard url.hasPrefix("http://") else {
            process.terminate()
            throw SandboxStartError(output: url)
        }
    }

    deinit { _ = stop() }

    /// `GET /_sandbox/stats` as a dictionary.
    public func stats() throws -> [String: Any] {
        let response = try HTTPClient().send(HTTPRequest(url: url + "/_sandbox/stats"))
        return (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }

    /// SIGTERM, then the exit status (0 when it shut down cleanly).
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// What it printed after its URL (read once it stopped).
    public func output() -> String {
        _ = stop()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// A GET on its URL's host, as JSON (`/_sandbox/whatsapp`).
    public func json(_ path: String) throws -> [String: Any] {
        let base = url.hasSuffix("/webhook") ? String(url.dropLast(8)) : url
        let response = try HTTPClient().send(HTTPRequest(url: base + path))
        return (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }
}

public struct SandboxStartError: Error, CustomStringConvertible {
    public var output: String
    public var description: String { "the sandbox did not print its URL (got '\(output)')" }
}
