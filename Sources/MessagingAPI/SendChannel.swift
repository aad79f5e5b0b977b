import WamigrateBase
import WamigrateHTTP
import WamigrateModel

/// One way out (SMS, Viber, the Cloud API) as the send loop sees it.
protocol SendChannel<Message> {
    associatedtype Message
    /// How logs and errors name it: "the sms gateway", "the Cloud API".
    var gateway: String { get }
    /// Spaces this channel's requests; a retry holds it off for its wait.
    var pacer: RatePacer { get }
    /// Builds the request, sends it, and says what the answer means.
    func send(_ message: Message) -> SendAnswer
    /// The opt-out a refusal stands for (SMS 21610, Cloud API 131050) that the ledger keeps; nil for other codes.
    func optOut(refused message: Message, code: String, at time: Int64) -> ConsentEvent?
    /// The error that ends the run after a `.stop` answer.
    func stopped(code: Int, why: String) -> WamigrateError
}
