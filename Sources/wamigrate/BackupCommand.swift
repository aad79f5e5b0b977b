import ArgumentParser
import Foundation
import WamigrateCore
import WamigrateStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "List the store's snapshots (<store>.backups/) or restore one after a checksum check.",
        discussion: """
            Snapshots are taken with SQLite's online backup API before a command replaces earlier results \
            (a re-run stage, import, campaign commands); --keep-backups sets how many are kept (default 3).
            """,
        subcommands: [List.self, Restore.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the snapshots of a store, oldest first.")
        @Option(help: "The job store.") var store: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try runReportingErrors {
                let backups = try StoreBackup.list(store: store)
                if json { return try printJSON(backups) }
                if backups.isEmpty { print("no backups of \(store)") }
                for b in backups {
                    print(
                        "\(b.number)  \(b.createdAt)  \(b.reason)  \(b.size / 1024) KiB  last run #\(b.lastRun ?? 0)  "
                            + "sha256 \(b.sha256.prefix(12))…  \(StoreBackup.folder(forStore: store))/\(b.file)")
                }
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Restore snapshot N into the store (the current state is snapshotted first).")
        @Argument(help: "The snapshot's number, from `backup list`.") var number: Int
        @Option(help: "The job store.") var store: String
        @Flag(help: "Restore a snapshot of another job store into this one (refused without it).") var force = false

        func run() throws {
            try runReportingErrors {
                let restored = try StoreBackup.restore(store: store, number: number, force: force)
                print("restored backup \(restored.number) (\(restored.reason), \(restored.createdAt)) into \(store)")
            }
        }
    }
}
