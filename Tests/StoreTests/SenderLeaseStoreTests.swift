import Foundation
import Testing
import WamigrateModel
import WamigratePostgres
import WamigrateTestSupport

/// Several senders on one PostgreSQL job (`PostgresSenderLease`): each takes messages no other
/// running sender holds, and what a sender that went away had taken is free again.
@Suite("Store: several senders on PostgreSQL", .serialized)
struct SenderLeaseStoreTests {
    static let enabled = PostgresTestDatabase.server != nil || PostgresTestDatabase.required
    static let numbers = (1...10).map { "+49151000000\(String(format: "%02d", $0))" }

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func twoSendersNeverTakeTheSameMessagesAndAGoneSendersMessagesAreFreeAgain() throws {
        let database = try PostgresTestDatabase()
        let writer = try PostgresJobStore(database.address, command: "store-tests")
        try Seed.pipeline(writer, Self.numbers.map { SeedRow(phone: $0, e164: $0, name: "N") })
        try SendLedgerStoreTests.planned(writer)
        let first = try PostgresJobStore(database.address, command: "sender 1", writerLock: false)
        var second: PostgresJobStore? = try PostgresJobStore(database.address, command: "sender 2", writerLock: false)
        let one = try first.plannedTemplates("w", after: 0, limit: 4).map(\.id)
        let two = try #require(second).plannedTemplates("w", after: 0, limit: 4).map(\.id)
        #expect(one.count == 4 && two.count == 4)
        #expect(Set(one).isDisjoint(with: two), "two senders took the same messages")
        // The second sender goes away (its session ends) with its four taken and not sent.
        second = nil
        Thread.sleep(forTimeInterval: 0.2)
        let untaken = try Self.untaken(writer, besides: one + two)
        #expect(untaken.count == 2)
        let rest = try first.plannedTemplates("w", after: one.max() ?? 0, limit: 10).map(\.id)
        #expect(Set(rest) == Set(two).union(untaken), "a gone sender's messages stayed taken")
    }

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func aMessageAnotherRunningSenderIsSendingIsNotSettledByANewOne() throws {
        let database = try PostgresTestDatabase()
        let writer = try PostgresJobStore(database.address, command: "store-tests")
        try Seed.pipeline(writer, Self.numbers.map { SeedRow(phone: $0, e164: $0) })
        try SendLedgerStoreTests.planned(writer)
        let running = try PostgresJobStore(database.address, command: "sender 1", writerLock: false)
        let message = try #require(try running.plannedTemplates("w", after: 0, limit: 1).first)
        #expect(try running.markTemplateSending(message.id, at: 10))
        let starting = try PostgresJobStore(database.address, command: "sender 2", writerLock: false)
        #expect(try starting.waveMessages("w", state: .sending).isEmpty, "a new sender would settle a message in flight")
        #expect(try !starting.markTemplateSending(message.id, at: 11))
        #expect(try running.waveMessages("w", state: .sending).map(\.id) == [message.id])
    }

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func sendersTogetherNeverTakeMoreThanTheMessagingLimitLeaves() throws {
        let database = try PostgresTestDatabase()
        let writer = try PostgresJobStore(database.address, command: "store-tests")
        try Seed.pipeline(writer, Self.numbers.map { SeedRow(phone: $0, e164: $0) })
        try SendLedgerStoreTests.planned(writer)
        try writer.recordWaveLimit("w", tier: 5, source: "--tier")
        let first = try PostgresJobStore(database.address, command: "sender 1", writerLock: false)
        let second = try PostgresJobStore(database.address, command: "sender 2", writerLock: false)
        let one = try first.plannedTemplates("w", after: 0, limit: 3)
        for message in one { #expect(try first.markTemplateSending(message.id, at: Int64(Date().timeIntervalSince1970))) }
        let two = try second.plannedTemplates("w", after: 0, limit: 10)
        #expect(one.count + two.count == 5, "taken \(one.count) + \(two.count) under a limit of 5 recipients")
        #expect(try first.plannedTemplates("w", after: 0, limit: 10).isEmpty)
    }

    /// Planned messages no sender took yet.
    private static func untaken(_ store: PostgresJobStore, besides taken: [Int64]) throws -> Set<Int64> {
        Set(try store.waveMessages("w", state: .planned).map(\.id)).subtracting(taken)
    }
}
