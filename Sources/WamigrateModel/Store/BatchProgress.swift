/// How far a stage shared by several workers is (normalize's batches, dedupe's partitions):
/// units and rows, and who did them.
public struct BatchProgress: Codable, Sendable, Equatable {
    public var batches = 0
    public var batchesDone = 0
    public var rows = 0
    public var rowsDone = 0
    /// Units done by each worker (`host:pid`).
    public var workers: [String: Int] = [:]

    public init() {}

    public var finished: Bool { batchesDone == batches }
}
