import Foundation

/// How the people who get one template behave in the sandbox, drawn per message from the
/// seed: reads, typed STOP replies, quick-reply button presses and blocks (a 131026 failure). Rollout and A/B
/// rehearsals give each variant its own (`--template-behaviour NAME:read=0.3,stop=0.01,block=0.005`).
public struct TemplateBehaviour: Sendable, Equatable {
    /// Share of delivered messages read; nil: the sandbox's `--read-rate`.
    public var read: Double?
    /// Share of delivered messages answered with a typed STOP.
    public var stop = 0.0
    /// Share of messages to people on WhatsApp that fail with 131026, as a block does.
    public var block = 0.0
    /// Share of delivered messages whose quick-reply button the person presses.
    public var click = 0.0

    public init(read: Double? = nil, stop: Double = 0, block: Double = 0) {
        self.read = read
        self.stop = stop
        self.block = block
    }

    /// `NAME:read=0.3,stop=0.01,block=0.005`; nil with the reason when it does not parse.
    public static func parse(_ text: String) -> Result<(String, TemplateBehaviour), BehaviourError> {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            return .failure(BehaviourError(text: text, why: "is not NAME:key=rate,…"))
        }
        var behaviour = TemplateBehaviour()
        for item in parts[1].split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, let rate = Double(pair[1]), (0...1).contains(rate) else {
                return .failure(BehaviourError(text: text, why: "has '\(item)', not key=rate from 0 to 1"))
            }
            switch pair[0] {
            case "read": behaviour.read = rate
            case "stop": behaviour.stop = rate
            case "block": behaviour.block = rate
            case "click": behaviour.click = rate
            default: return .failure(BehaviourError(text: text, why: "has no key '\(pair[0])' (read, stop, block, click)"))
            }
        }
        return .success((parts[0], behaviour))
    }

    public struct BehaviourError: Error, CustomStringConvertible {
        public var text: String
        public var why: String
        public var description: String { "--template-behaviour '\(text)' \(why)" }
    }
}
