import Foundation

/// What verify will check: the candidates (contacts with a number who have not
/// opted out), those with a fresh final answer, those already in open batches,
/// and the check budget's verdict on the rest.
public struct VerifyPlan: Sendable {
    public var candidates = 0
    public var cached = 0
    public var planned = 0
    public var budget = 0

    public init() {}
}
