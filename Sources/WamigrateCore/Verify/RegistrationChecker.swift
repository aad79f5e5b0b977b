/// One number's answer from a registration check.
public struct CheckAnswer: Sendable, Equatable {
    /// The string that was sent (echoed back as `input`).
    public var input: String
    /// The endpoint's word for it: valid | invalid | failed | processing.
    public var answer: String
    public var waID: String?

    public init(input: String, answer: String, waID: String?) {
        self.input = input
        self.answer = answer
        self.waID = waID
    }
}

/// What the verify stage needs from a remote checker: one batch in, one answer
/// per input out. Retries, pacing and authentication are the checker's business;
/// an error it throws means the batch could not be answered.
public protocol RegistrationChecker: Sendable {
    /// The most numbers one call takes.
    var maxBatchSize: Int { get }
    func check(_ inputs: [String], forceCheck: Bool) throws -> BatchAnswer
}

public struct BatchAnswer: Sendable {
    public var answers: [CheckAnswer]
    public var httpStatus: Int
    /// HTTP requests it took, retries included.
    public var attempts: Int

    public init(answers: [CheckAnswer], httpStatus: Int, attempts: Int) {
        self.answers = answers
        self.httpStatus = httpStatus
        self.attempts = attempts
    }
}

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
