import Foundation

/// Waves: plans, the send log, the limit a wave runs under, and what the platform
/// said about limits and numbers that moved.
public protocol WaveStore: AnyObject {
    func wave(_ name: String) throws -> WaveRecord
    func waveStatus(_ name: String) throws -> WaveStatusReport
    /// Replaces a wave's plan in one transaction, refusing a wave that has started sending;
    /// with `dryRun` the work is rolled back.
    func replaceWavePlan(
        _ wave: String, policy: ConsentPolicy, dryRun: Bool, _ body: (any WavePlanTables) throws -> Void) throws
    func recordWaveLimit(_ name: String, tier: Int?, source: String) throws

    func plannedTemplates(_ wave: String, after id: Int64, limit: Int) throws -> [OutboundTemplate]
    func waveMessages(_ wave: String, state: MessageState) throws -> [OutboundTemplate]
    func waveMessageStates(_ ids: [Int64]) throws -> [Int64: MessageState]
    func waveCount(_ wave: String, state: MessageState) throws -> Int
    /// planned → sending, before the request; false when another run got there first.
    func markTemplateSending(_ id: Int64, at time: Int64) throws -> Bool
    func markTemplateRetry(_ id: Int64, at time: Int64) throws
    func saveTemplateOutcome(
        _ id: Int64, state: MessageState, wamid: String?, errorCode: String?, reason: MessageReason?, at time: Int64) throws
    /// How many of these in-doubt messages a status webhook settled as sent.
    func settledByWebhook(_ ids: Set<Int64>) throws -> Int
    func statusArrived(wave: String, sentFrom time: Int64, other id: Int64) throws -> Bool
    func wamid(callback: String) throws -> String?
    /// Unique recipients since `time` (the messaging limit's rolling window) and the oldest send in it.
    func waveRecipients(since time: Int64) throws -> Int
    func oldestWaveSend(since time: Int64) throws -> Int64?

    func platformLimit() throws -> PlatformLimit?
    func numberMove(from e164: String) throws -> NumberMove?
}

extension WaveStore {
    /// A message's outcome: sent with its wamid, failed with the platform's code, suppressed or
    /// planned again with a reason.
    public func markTemplateOutcome(
        _ id: Int64, state: MessageState, wamid: String? = nil, errorCode: String? = nil, reason: MessageReason? = nil,
        at time: Int64
    ) throws {
        try saveTemplateOutcome(id, state: state, wamid: wamid, errorCode: errorCode, reason: reason, at: time)
    }
}

/// What a wave plan writes, inside `replaceWavePlan`'s transaction.
public protocol WavePlanTables {
    func forEachCandidate(list: ImportList, _ visit: (WaveCandidate) throws -> Void) throws
    func addMessage(
        contactID: String, e164: String?, region: String?, day: Int?, parameters: [String]?, cost: Double?,
        reason: MessageReason?, cohort: Int, variant: String) throws
    func saveWave(
        template: String, language: String, category: String, list: ImportList, tier: Int?, tierSource: String,
        settingsJSON: String, at time: Int64) throws
}
