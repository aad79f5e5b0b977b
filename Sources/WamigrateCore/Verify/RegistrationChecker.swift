import WamigrateModel

/// What the verify stage needs from a remote checker: one batch in, one answer
/// per input out. Retries, pacing and authentication are the checker's business;
/// an error it throws means the batch could not be answered.
public protocol RegistrationChecker: Sendable {
    /// The most numbers one call takes.
    var maxBatchSize: Int { get }
    func check(_ inputs: [String], forceCheck: Bool) throws -> BatchAnswer
}
