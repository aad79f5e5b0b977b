import Foundation
import WamigrateBase
import WamigrateCore

/// Runs the built binary as a child process, the way a user would, and
/// measures it: its stdout, wall time and peak RSS (from getrusage of children).
struct ChildRun {
    var stdout: Data
    var seconds: Double
    var peakRSSMegabytes: Double

    static func measure(executable: String, arguments: [String], what: String) throws -> ChildRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let start = Date()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        guard process.terminationStatus == 0 else {
            throw WamigrateError(
                .output, "\(what) failed with exit \(process.terminationStatus)",
                hint: "run it by hand: \(executable) \(arguments.joined(separator: " "))")
        }
        return ChildRun(stdout: data, seconds: seconds, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    /// Runs several children at once (each its arguments) and waits for all of them.
    static func measureTogether(executable: String, arguments: [[String]], what: String) throws -> [ChildRun] {
        let started = Date()
        let children = try arguments.map { arguments -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            return (process, output)
        }
        return try children.map { process, output in
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw WamigrateError(
                    .output, "\(what) failed with exit \(process.terminationStatus)",
                    hint: "run it by hand: \(executable) \(process.arguments?.joined(separator: " ") ?? "")")
            }
            return ChildRun(stdout: data, seconds: Date().timeIntervalSince(started), peakRSSMegabytes: 0)
        }
    }
}
