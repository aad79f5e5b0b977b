import Foundation
import Testing
import WamigrateBase

/// The queue between extract's and dedupe's reading threads and their writers: everything
/// arrives once and in order, a reading error reaches the writer, and a writer that stops
/// early never hangs and is never left with the reader's resources still held.
@Suite("Hand-off between a reading thread and its writer")
struct HandOffTests {
    struct Broken: Error, Equatable { var at: Int }

    /// What the producer holds (a store connection, in the stages): released before `stop` returns.
    final class Held {}

    @Test func everyBatchArrivesOnceAndInOrder() throws {
        let queue = HandOff<[Int]>.start(capacity: 2) { queue in
            for start in stride(from: 0, to: 10_000, by: 100) { try queue.put(Array(start..<start + 100)) }
        }
        defer { queue.stop() }
        var seen: [Int] = []
        while let batch = try queue.take() { seen += batch }
        #expect(seen == Array(0..<10_000))
    }

    @Test func aReadingErrorReachesTheWriterAfterTheBatchesBeforeIt() throws {
        let queue = HandOff<Int>.start { queue in
            try queue.put(1)
            try queue.put(2)
            throw Broken(at: 3)
        }
        defer { queue.stop() }
        var seen: [Int] = []
        // The error may come before the writer has taken every batch put before it: what counts
        // is that the writer cannot mistake the end for a clean one.
        #expect(throws: Broken(at: 3)) {
            while let value = try queue.take() { seen.append(value) }
        }
        #expect(seen == Array([1, 2].prefix(seen.count)))
    }

    @Test func aWriterThatStopsEarlyReleasesAReaderBlockedOnAFullQueue() throws {
        weak var held: Held?
        let puts = Counter()
        let queue: HandOff<Int>
        do {
            let resource = Held()
            held = resource
            queue = HandOff<Int>.start(capacity: 2) { queue in
                withExtendedLifetime(resource) {}
                for value in 0..<1_000_000 {
                    try queue.put(value)
                    puts.add()
                }
            }
        }
        #expect(try queue.take() == 0)
        Thread.sleep(forTimeInterval: 0.2)
        // Bounded: the reader ran ahead by the queue's capacity at most, then waited.
        #expect(puts.value <= 3)
        queue.stop()
        #expect(held == nil)
    }

    /// Dedupe's reader sorts for seconds before its first batch; a writer that fails meanwhile
    /// cuts the sort short (SQLite's interrupt) instead of waiting for it.
    @Test func aWriterThatStopsEarlyInterruptsAReaderStillAtItsFirstBatch() throws {
        let interrupted = Counter()
        let queue = HandOff<Int>.start(interrupt: { interrupted.add() }) { queue in
            // A long query, stopped only by the interrupt (or given up after 10 s).
            for _ in 0..<10_000 where interrupted.value == 0 { Thread.sleep(forTimeInterval: 0.001) }
            try queue.put(1)
        }
        queue.stop()
        #expect(interrupted.value == 1)
    }

    /// The run's end: a thread that only has to finish; `wait` returns once it has let go of its
    /// connection, with its error.
    @Test func waitingForABodyThatHandsNothingGivesItsErrorAfterItLetGo() throws {
        weak var held: Held?
        let thread: HandOff<Never>
        do {
            let resource = Held()
            held = resource
            thread = HandOff.start { _ in
                withExtendedLifetime(resource) { Thread.sleep(forTimeInterval: 0.05) }
                throw Broken(at: 7)
            }
        }
        #expect(throws: Broken(at: 7)) { try thread.wait() }
        #expect(held == nil)
        #expect(throws: Broken(at: 7)) { try thread.wait() }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
