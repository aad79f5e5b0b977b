import ArgumentParser
import Foundation
import WamigrateBench

struct BenchWebhooks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-webhooks",
        abstract: "Load `webhook serve` on loopback with signed posts: accepted/s, p50/p99 latency, and 0 lost.",
        discussion: "Build with -c release for real figures: .build/release/wamigrate bench-webhooks --rate 2000 --seconds 30")

    @Option(help: "Posts per second.") var rate = 2000.0
    @Option(help: "For how long, in seconds.") var seconds = 30.0
    @Option(help: "Client threads posting.") var clients = 16
    @Option(help: "Share of posts forged (bad signature), from 0 to 1.") var forged = 0.01
    @Option(help: "Folder for the store.") var dir = "bench-data"
    @Flag(help: "Print the figures as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let executable = ThisBinary.path
            let bench = WebhookBenchmark(
                rate: rate, seconds: seconds, clients: clients, forgedShare: forged, directory: dir, executable: executable)
            let f = try bench.run { Stderr.write("bench: \($0)\n") }
            if json { return try printJSON(f) }
            print(
                """
                posted:     \(f.posted) at \(Int(f.targetPerSecond))/s target in \(String(format: "%.1f", f.seconds)) s
                accepted:   \(f.accepted) → \(String(format: "%.0f", f.acceptedPerSecond))/s; forged refused \(f.refusedForged); other answers \(f.otherAnswers)
                latency:    p50 \(String(format: "%.2f", f.p50Milliseconds)) ms, p99 \(String(format: "%.2f", f.p99Milliseconds)) ms, max \(String(format: "%.1f", f.maxMilliseconds)) ms; over 5 s: \(f.over5Seconds)
                kept:       spool \(f.spooled), job inbox \(f.inInbox), statuses \(f.statusesKept); lost \(f.lost)
                stop:       \(String(format: "%.1f", f.stopSeconds)) s (SIGTERM to exit, with the last processing pass)
                """)
        }
    }
}

struct BenchWave: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-wave",
        abstract: "Send a wave to the sandbox at the rate cap: messages/s against the cap, and never above it.",
        discussion: "Build with -c release for real figures: .build/release/wamigrate bench-wave --contacts 4000 --rate 80")

    @Option(help: "Contacts on the whatsapp_ready list.") var contacts = 4000
    @Option(help: "The cap, messages per second (with --senders, shared out among them).") var rate = 80.0
    @Option(help: "Folder for the store.") var dir = "bench-data"
    @Option(help: "A PostgreSQL server (postgres://user@host:port/db): the job is a new database there.")
    var postgres: String?
    @Option(help: "`wave send` processes sending the wave together (PostgreSQL only).") var senders = 1
    @Flag(help: "Print the figures as JSON.") var json = false

    func validate() throws {
        guard senders >= 1 else { throw ValidationError("--senders must be at least 1") }
        guard senders == 1 || postgres != nil else {
            throw ValidationError("several --senders need a PostgreSQL job (--postgres URL); a SQLite job has one writer")
        }
    }

    func run() throws {
        try runReportingErrors {
            let executable = ThisBinary.path
            var bench = WaveBenchmark(contacts: contacts, rate: rate, directory: dir, executable: executable)
            bench.postgres = postgres
            bench.senders = senders
            let f = try bench.run { Stderr.write("bench: \($0)\n") }
            if json { return try printJSON(f) }
            print(
                """
                engine:     \(f.engine), \(f.senders) sender(s)
                sent:       \(f.sent) of \(f.contacts) in \(String(format: "%.1f", f.seconds)) s → \(String(format: "%.1f", f.perSecond))/s = \(String(format: "%.1f", f.shareOfCap * 100)) % of the \(Int(f.cap))/s cap
                sandbox:    \(f.sandboxMessages) taken, at most \(f.sandboxMaxInOneSecond) in any one second, at most \(f.mostToOneRecipient) per recipient
                """)
        }
    }
}

struct BenchRollout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-rollout",
        abstract: "Time `wave status` on a gradual A/B rollout whose every message went out (target: 1M in at most 1 s).",
        discussion: "Build with -c release for real figures: .build/release/wamigrate bench-rollout --contacts 1000000")

    @Option(help: "Contacts on the whatsapp_ready list (each one planned message).") var contacts = 1_000_000
    @Option(help: "How many times `wave status` is timed (the median counts).") var repeats = 5
    @Option(help: "Folder for the store.") var dir = "bench-data"
    @Flag(help: "Print the figures as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let executable = ThisBinary.path
            let bench = RolloutBenchmark(contacts: contacts, repeats: repeats, directory: dir, executable: executable)
            let f = try bench.run { Stderr.write("bench: \($0)\n") }
            if json { return try printJSON(f) }
            let runs = f.statusSeconds.map { String(format: "%.2f", $0) }.joined(separator: ", ")
            let plannedRuns = f.plannedStatusSeconds.map { String(format: "%.2f", $0) }.joined(separator: ", ")
            print(
                """
                plan:       \(f.contacts) people in \(String(format: "%.1f", f.planSeconds)) s, peak RSS \(Int(f.planPeakRSSMegabytes)) MB
                planned:    wave status median \(String(format: "%.2f", f.plannedStatusMedianSeconds)) s (\(plannedRuns)) with every message planned
                sent:       wave status median \(String(format: "%.2f", f.statusMedianSeconds)) s (\(runs)) over \(f.measured) measured messages, peak RSS \(Int(f.statusPeakRSSMegabytes)) MB
                target:     at most \(String(format: "%.1f", f.targetSeconds)) s: \(f.withinTarget ? "met" : "NOT met")
                """)
            if !f.withinTarget { throw ExitCode(3) }
        }
    }
}
