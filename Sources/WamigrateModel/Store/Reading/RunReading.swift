import Foundation

/// The runs a store recorded, oldest first: what `status` shows the last of.
public protocol RunReading: AnyObject {
    func runs() throws -> [RunRecord]
}

/// One run of a command on the store, and whether it finished and left its audit records.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var command: String
    public var status: RunStatus
    /// A manifest and the run's contacts were recorded (every `ok` run has both).
    public var audited: Bool

    public init(id: Int64, command: String, status: RunStatus, audited: Bool) {
        self.id = id
        self.command = command
        self.status = status
        self.audited = audited
    }
}
