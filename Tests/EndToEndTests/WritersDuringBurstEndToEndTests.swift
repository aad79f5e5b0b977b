import Foundation
import Testing
import WamigrateBase
import WamigrateTestSupport

/// Commands that write the job store while the receiver takes a burst of webhooks: they
/// wait for the receiver's brief passes (bounded), they do not fail with "database is locked".
@Suite("Writers during a webhook burst", .serialized)
struct WritersDuringBurstEndToEndTests {
    @Test func importRepliesIngestAndRestoreWaitForTheReceiverInsteadOfFailing() throws {
        let job = try WaveJob(count: 30)
        let receiver = try job.serve()
        let folder = job.folder
        let replies = folder.write(
            "replies.jsonl",
            CampaignFixtures.sms("SM1", from: "+4915123000001", "YES", at: "2026-11-23T11:00:00Z") + "\n")
        let stop = Atomic()
        let poster = Thread {
            var index = 0
            while !stop.isSet {
                let body = WebhookEndToEndTests.body(
                    statuses:
                        #"{"id":"wamid.burst\#(index)","status":"delivered","timestamp":"1900000000","recipient_id":"4915123000001"}"#
                )
                _ = try? WaveJob.post(body, to: receiver, signature: WaveJob.signed(body))
                index += 1
            }
        }
        poster.start()
        defer { stop.set() }
        Thread.sleep(forTimeInterval: 0.3)
        var failures: [String] = []
        for round in 0..<3 {
            let list = try Binary.run(["backup", "list", "--store", job.store, "--json"])
            let newest = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.last
            let number = (newest?["number"] as? Int).map(String.init) ?? "1"
            let commands: [[String]] = [
                ["import", "--store", job.store, "-o", folder.file("lists\(round)")],
                ["campaign", "replies", "--store", job.store, "--from", replies, "--now", "2026-11-23T12:00:00Z"],
                ["webhook", "ingest", "--store", job.store],
                ["backup", "restore", number, "--store", job.store],
            ]
            for command in commands {
                let result = try Binary.run(command, environment: WaveJob.env)
                if result.status != 0 { failures.append("\(command[0]) \(command[1]): \(result.status) \(result.stderr)") }
            }
        }
        stop.set()
        #expect(failures.isEmpty, "\(failures)")
        _ = receiver.output()
    }
}

/// A flag one thread sets and another reads.
final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
