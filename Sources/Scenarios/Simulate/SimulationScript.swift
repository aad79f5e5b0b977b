import Foundation
import TemplateRules
import WamigrateBase
import Yams

/// A simulator script (YAML): the user's inputs in order, each with what the
/// bot must answer. Documented in the README.
public struct SimulationScript: Codable, Sendable {
    public var flow: String?
    public var steps: [Step]

    public struct Step: Codable, Sendable {
        /// Typed text.
        public var text: String?
        /// The id a reply-button tap sends.
        public var button: String?
        /// The id a list-row tap sends.
        public var list: String?
        /// Time passes without a user message.
        public var waitHours: Double?
        public var expect: Expectation?

        enum CodingKeys: String, CodingKey {
            case text, button, list, expect
            case waitHours = "wait_hours"
        }

        var input: String {
            if let text { return "text \"\(text)\"" }
            if let button { return "button \(button)" }
            if let list { return "list \(list)" }
            return "wait \(waitHours ?? 0) h"
        }
    }

    public struct Expectation: Codable, Sendable {
        public var state: String?
        /// Each string must appear in the replies (any case).
        public var contains: [String]?
        /// One reply's text is exactly this.
        public var equals: String?
        /// The choices offered, titles in order.
        public var buttons: [String]?
        public var template: String?
        public var noReply: Bool?
        public var action: String?

        enum CodingKeys: String, CodingKey {
            case state, contains, equals, buttons, template, action
            case noReply = "no_reply"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            state = try container.decodeIfPresent(String.self, forKey: .state)
            if let one = try? container.decodeIfPresent(String.self, forKey: .contains) {
                contains = [one]
            } else {
                contains = try container.decodeIfPresent([String].self, forKey: .contains)
            }
            equals = try container.decodeIfPresent(String.self, forKey: .equals)
            buttons = try container.decodeIfPresent([String].self, forKey: .buttons)
            template = try container.decodeIfPresent(String.self, forKey: .template)
            noReply = try container.decodeIfPresent(Bool.self, forKey: .noReply)
            action = try container.decodeIfPresent(String.self, forKey: .action)
        }
    }

    public static func load(_ path: String) throws -> SimulationScript {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WamigrateError(.inputMissing, "cannot read the script", hint: "check the --script path", at: .init(file: path))
        }
        let script: SimulationScript
        do {
            script = try BoundedYAML.decode(SimulationScript.self, from: text)
        } catch {
            throw WamigrateError(
                .inputScript, "the script does not parse: \(YAMLErrors.describe(error))",
                hint: "each step has one of text, button, list or wait_hours, and an optional expect",
                at: YAMLErrors.location(of: error, in: text, file: path))
        }
        for (index, step) in script.steps.enumerated() {
            let inputs = [step.text != nil, step.button != nil, step.list != nil, step.waitHours != nil].filter { $0 }.count
            guard inputs == 1 else {
                throw WamigrateError(
                    .inputScript, "step \(index + 1) has \(inputs) inputs",
                    hint: "give each step exactly one of text, button, list or wait_hours", at: .init(file: path))
            }
        }
        return script
    }
}
