import ArgumentParser
import Foundation
import WamigrateCore

/// `wamigrate normalize-worker` (hidden): what normalize starts once per core to
/// parse numbers in its own process; speaks frames on stdin/stdout, nothing else.
struct NormalizeWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize-worker", abstract: "Internal: a normalize worker process.", shouldDisplay: false)

    func run() throws {
        do {
            try NormalizeWorker.serve()
        } catch {
            // The parent reports the failure with its context; the worker just ends.
            throw ExitCode(70)
        }
    }
}
