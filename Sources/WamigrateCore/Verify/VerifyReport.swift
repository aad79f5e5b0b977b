/// What verify did. Goes into stage_runs and the summary.
public struct VerifyReport: Codable, Sendable {
    public var verifier: String
    /// Contacts with a number that are not opted out: the ones worth checking.
    public var candidates = 0
    /// Fresh answers reused from earlier runs (no request made).
    public var cached = 0
    /// Numbers this run set out to check (in a dry run: would check).
    public var planned = 0
    /// Numbers answered by this run.
    public var checked = 0
    public var batches = 0
    /// Batches left open by an earlier, interrupted run and finished by this one.
    public var batchesResumed = 0
    /// HTTP requests made, retries included.
    public var requests = 0
    /// Checks over the job's life against the budget.
    public var checksUsed = 0
    public var budget = 0
    /// Every contact with a number, by status: on_whatsapp | not_on_whatsapp | unknown.
    public var statuses: [String: Int] = [:]
    /// Answers whose wa_id is not the E.164 number's digits.
    public var waIDDiffers = 0
    public var waIDMerges = 0
    public var deliveryReport: DeliveryReportSummary?
    public var warnings: [String] = []

    public init(verifier: String) { self.verifier = verifier }
}
