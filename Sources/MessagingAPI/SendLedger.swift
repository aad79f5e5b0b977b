import WamigrateStore

/// A send log the send loop works through (campaign messages, wave messages): what is due,
/// whether each message may still go, and how it ended. The loop orders these steps; a ledger
/// keeps its own summary and decides what its gates and its settling mean.
protocol SendLedger: AnyObject {
    associatedtype Item
    /// Names the run in logs: "campaign send", "wave send".
    var label: String { get }
    /// Said when retries ran out: nothing was lost, and what to lower.
    var retryHint: String { get }
    /// Settles what a crashed run left open (`sending`, `in_doubt`) before anything is sent.
    func settleOpen() throws
    /// The run's limits and checks, once settled.
    func begin() throws
    /// The next due messages after those already handed out; empty when there are no more.
    func nextBatch() throws -> [Item]
    /// The checks that cost no request: the channel to send on, wait (counted), or stop for this run.
    func admit(_ item: Item, sentSoFar: Int) throws -> Admission<Item>
    /// Right before each request, the first and every retry: the message as it may go now, or nil
    /// when it was suppressed (the person opted out since the plan, no address surely reaches them).
    func ready(_ item: Item) throws -> Item?
    /// Written before the request; false when another run took the message.
    func markSending(_ item: Item) throws -> Bool
    func markSent(_ item: Item, providerID: String) throws
    func markRefused(_ item: Item, code: String, reason: String, optOut: ConsentEvent?) throws
    /// Back to planned (not processed): for the next run.
    func markPlanned(_ item: Item, reason: String?) throws
    /// The loop decided to try again after a wait (counted).
    func retrying(_ item: Item)
    /// The retry goes out now (the settle window of a lost answer counts from here).
    func markRetry(_ item: Item) throws
    /// The request went out and no answer settles it: looked up, or held in doubt, never sent again blindly.
    func answerLost(_ item: Item) throws
    /// After the last message: what the summary says about the rest.
    func end() throws
}

/// What a ledger's gates say about one due message.
enum Admission<Item> {
    case send(via: any SendChannel<Item>)
    /// Not now (sending hours, a daily limit, no endpoint): counted by the ledger, the run goes on.
    case wait
    /// Nothing more this run (the messaging limit is used up).
    case stop
}
