import Foundation

/// Batches from one producer thread to one consumer, at most `capacity` waiting: the
/// producer blocks while the queue is full, the consumer while it is empty, so memory stays
/// bounded whichever side is faster. The producer runs on its own thread (`start`); the
/// consumer takes batches on the caller's and calls `stop` when done (on every path), which
/// returns only once the producer's body has returned and let go of what it held.
public final class HandOff<Batch>: @unchecked Sendable {
    private let capacity: Int
    private let condition = NSCondition()
    private var batches: [Batch] = []
    private var produced = false
    private var failure: (any Error)?
    private var cancelled = false
    private var returned = false
    private var body: ((HandOff<Batch>) throws -> Void)?
    private var interrupt: (() -> Void)?

    private init(capacity: Int) { self.capacity = capacity }

    /// Runs `body` on a new thread; it hands batches with `put`. `interrupt`, when given, cuts
    /// short what the body is doing between two `put`s (a long query) when the consumer stops early.
    public static func start(
        capacity: Int = 8, interrupt: (() -> Void)? = nil, _ body: @escaping (HandOff<Batch>) throws -> Void
    ) -> HandOff<Batch> {
        let queue = HandOff(capacity: capacity)
        queue.body = body
        queue.interrupt = interrupt
        let thread = Thread {
            do {
                guard let body = queue.body else { throw CancellationError() }
                try body(queue)
            } catch {
                queue.condition.withLock { queue.failure = error }
            }
            // What the body captured is let go before `stop` returns.
            queue.body = nil
            queue.condition.withLock {
                queue.interrupt = nil
                queue.produced = true
                queue.returned = true
                queue.condition.broadcast()
            }
        }
        thread.stackSize = 4 << 20
        thread.start()
        return queue
    }

    /// The producer's side: waits for room; throws `CancellationError` once the consumer stopped.
    public func put(_ batch: Batch) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        batches.append(batch)
        condition.broadcast()
    }

    /// The next batch in the order they were put; nil after the last. Throws what ended the producer.
    public func take() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !produced { condition.wait() }
        if let failure { throw failure }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// For a body that hands nothing (a thread that only has to end): waits until it has
    /// returned and let go of what it held, and throws what it threw. Can be called again.
    public func wait() throws {
        condition.lock()
        defer { condition.unlock() }
        while !returned { condition.wait() }
        if let failure { throw failure }
    }

    /// Stops the producer (its next `put` throws, and `interrupt` runs if it is still at work)
    /// and waits until its body has returned.
    public func stop() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        condition.broadcast()
        let interrupt = returned ? nil : self.interrupt
        condition.unlock()
        interrupt?()
        condition.lock()
        while !returned { condition.wait() }
        condition.unlock()
    }
}
