/// Where long stages report how far they are. The executable draws it on a
/// terminal; library code never writes to stderr itself.
public protocol ProgressSink: Sendable {
    func update(_ stage: String, done: Int, total: Int, unit: String)
    func finish(_ stage: String)
}

public struct SilentProgress: ProgressSink {
    public init() {}
    public func update(_ stage: String, done: Int, total: Int, unit: String) {}
    public func finish(_ stage: String) {}
}
