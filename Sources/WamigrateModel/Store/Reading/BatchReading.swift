import Foundation

/// Verify's batches as kept: what `status` sums up as "batches not yet answered".
public protocol BatchReading: AnyObject {
    /// Every batch, oldest first.
    func verifyBatchRecords() throws -> [VerifyBatchRecord]
}

/// One verify batch: its state, how many numbers it holds, and the requests it took.
public struct VerifyBatchRecord: Sendable, Equatable {
    public var id: Int64
    public var state: VerifyBatchState
    public var size: Int
    /// HTTP requests made for it, retries included.
    public var requests: Int

    public init(id: Int64, state: VerifyBatchState, size: Int, requests: Int) {
        self.id = id
        self.state = state
        self.size = size
        self.requests = requests
    }
}
