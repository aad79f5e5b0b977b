import WamigrateModel

/// Whom a Cloud API send names (contracts §9.2): a phone number in `to`, or a BSUID in
/// `recipient` (a BSUID put in `to` is silently dropped by the platform).
enum CloudAddress: Equatable {
    case number(String)
    case user(String)
}

/// Where a wave message goes: the contact's number, unless the platform said the person
/// moved off it (`user_changed_number`). The old number may belong to someone else now, so
/// the message goes to the person's BSUID instead; authentication templates need a number
/// (131062), and a move with no BSUID seen leaves nothing that surely reaches the person, so
/// both are held with a reason rather than sent to a number that may not be theirs.
enum WaveAddressing {
    enum Decision: Equatable {
        case send(CloudAddress)
        case hold(reason: MessageReason)
    }

    static func decide(e164: String, move: NumberMove?, category: String) -> Decision {
        guard let move else { return .send(.number(e164)) }
        guard let userID = move.userID else { return .hold(reason: .numberChangedNoUserID) }
        if category.uppercased() == "AUTHENTICATION" {
            return .hold(reason: .numberChangedAuthenticationNeedsNumber)
        }
        return .send(.user(userID))
    }
}

/// A wave message and whom the request names now.
struct WaveItem {
    var message: OutboundTemplate
    var address: CloudAddress
}
