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

/// One batch's answers as a checker returns them, stored by `VerifyBatches.complete`.
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
