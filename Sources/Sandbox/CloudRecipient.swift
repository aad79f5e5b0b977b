import Foundation
import Hummingbird

/// Whom a Cloud API send addresses (contracts §9.2): a phone number in `to`, or a BSUID
/// (or parent BSUID) in `recipient`; when both are given, `to` wins. The answer's
/// `contacts[]` has `wa_id` only for a phone send and `user_id` only for a BSUID send.
enum CloudRecipient: Sendable {
    case phone(digits: String, input: String)
    case user(id: String)

    static func from(_ object: [String: Any]) -> Result<CloudRecipient, GraphRefusal> {
        if let to = object["to"] as? String, !to.isEmpty {
            let digits = to.filter { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return .failure(GraphRefusal(GraphError.invalidParameter("to is not a phone number"))) }
            return .success(.phone(digits: digits, input: to))
        }
        if let recipient = object["recipient"] as? String, !recipient.isEmpty {
            guard UserDirectory.isBSUID(recipient) else {
                return .failure(
                    GraphRefusal(
                        GraphError.invalidParameter("recipient must be a BSUID: a country code, '.', letters and digits")))
            }
            return .success(.user(id: recipient))
        }
        return .failure(
            GraphRefusal(
                GraphError.answer(
                    .badRequest, code: 100, message: "(#100) The parameter to is required.",
                    details: "give to (a phone number) or recipient (a BSUID)")))
    }

    /// What the message log and the messaging limit count the recipient as.
    var key: String {
        switch self {
        case .phone(let digits, _): digits
        case .user(let id): id
        }
    }

    /// The answer's `contacts[]` entry.
    var contact: [String: Any] {
        switch self {
        case .phone(let digits, let input): ["input": input, "wa_id": digits]
        case .user(let id): ["input": id, "user_id": id]
        }
    }
}

/// A message request past its first checks: who it is for and the fault drawn for it, or
/// the answer it gets instead (a bad recipient, a fault that refuses it before taking).
enum Admission {
    case go(CloudRecipient, FaultPlan.Kind?)
    case answer(Response)
}

extension CloudMessagesRoute {
    func admit(_ object: [String: Any]) async throws -> Admission {
        switch CloudRecipient.from(object) {
        case .failure(let refusal): return .answer(refusal.response)
        case .success(let recipient):
            let fault = faults.draw(.messages)
            if let refused = try await faults.refusal(fault, .graph) { return .answer(refused) }
            return .go(recipient, fault)
        }
    }
}
