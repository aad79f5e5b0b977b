import Foundation

/// This running binary, for the child processes it starts: normalize workers and the
/// benchmarks' timed runs.
enum ThisBinary {
    static var path: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }
}
