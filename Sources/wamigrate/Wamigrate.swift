import ArgumentParser
import Foundation
import WamigrateCore

@main
struct Wamigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wamigrate",
        abstract: "Move a contact base from SMS and Viber exports to WhatsApp-ready lists.",
        discussion: ExitCodes.help,
        // A placeholder that makes the parser list --version; `main` prints the real text
        // (it runs the numbering-plan self-check, which no other command should wait for).
        version: "wamigrate",
        subcommands: [
            Run.self, Extract.self, Normalize.self, Dedupe.self, Verify.self, Import.self, Export.self, Status.self,
            ScenariosCommand.self, TemplatesCommand.self, CampaignCommand.self, Trace.self, Report.self, Diff.self,
            BackupCommand.self, WaveCommand.self, WebhookCommand.self, SandboxCommand.self, Bench.self,
            BenchVerify.self, BenchCampaign.self, BenchWave.self, BenchRollout.self, BenchWebhooks.self,
            NormalizeWorkerCommand.self,
            BenchFloorWorkerCommand.self,
        ]
    )

    /// Private by default: the store (and its WAL/SHM), outputs and reports hold personal
    /// data, so whatever the user's umask, files are created 0600 and folders 0700.
    static func main() async {
        _ = umask(0o077)
        // `--version` on any command (before a `--`) prints the whole text, as the parser would.
        if CommandLine.arguments.dropFirst().prefix(while: { $0 != "--" }).contains("--version") {
            print(VersionText.text)
            return
        }
        do {
            var command = try parseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

enum ExitCodes {
    /// What each exit status means; a help page lists only the ones its command can give.
    static let meanings: [(Int32, String)] = [
        (0, "success"), (64, "usage error (the usage line is printed)"),
        (65, "input error: missing, empty, binary or undecodable file, no phone column, bad mapping or config"),
        (66, "run out of order: an earlier stage or step is missing"),
        (67, "refused: the checks would exceed the check budget"),
        (69, "remote error: the endpoint failed or refused, login failed"),
        (70, "a normalize worker process died (run again)"), (74, "store or output error"),
        (75, "the store is busy: another command is writing it"), (3, "the books do not balance (a stage lost rows)"),
    ]

    static func help(_ codes: [Int32]) -> String {
        "Exit codes: " + meanings.filter { codes.contains($0.0) }.map { "\($0.0) \($0.1)" }.joined(separator: "; ") + "."
    }

    /// Every code, for the top-level help.
    static let help = help(meanings.map(\.0))
    static let stages = help([0, 64, 65, 66, 67, 69, 70, 74, 75, 3])
    static let verify = help([0, 64, 65, 66, 67, 69, 74, 75])
    static let sending = help([0, 64, 65, 66, 69, 74, 75])
    static let files = help([0, 64, 65, 74])
    static let report = help([0, 64, 65, 66, 74, 3])
}
