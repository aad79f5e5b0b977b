import Foundation
import TemplateRules
import WamigrateBase

/// Runs a flow graph against a script: follows global keywords, then the
/// current state's transitions (only for choices it actually offered), then its
/// default; checks each reply against the step's expectations and that no
/// session message goes out after the 24-hour window closed.
public struct FlowSimulator {
    public struct StepResult: Codable, Sendable {
        public var step: Int
        public var input: String
        public var state: String?
        public var replies: [String]
        public var mismatches: [String]
    }

    public struct Result: Codable, Sendable {
        public var flow: String
        public var path: [String]
        public var steps: [StepResult]
        public var passed: Bool { steps.allSatisfy { $0.mismatches.isEmpty } }
        public var mismatches: Int { steps.map(\.mismatches.count).reduce(0, +) }
    }

    let flow: FlowGraph
    private var current: String?
    private var hours = 0.0
    private var lastUserMessage: Double?

    public init(flow: FlowGraph) { self.flow = flow }

    public static func load(_ path: String) throws -> FlowGraph {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WamigrateError(.inputMissing, "cannot read the flow", hint: "check the path", at: .init(file: path))
        }
        do {
            return try JSONDecoder().decode(FlowGraph.self, from: data)
        } catch {
            throw WamigrateError(
                .inputJSON, "not a wamigrate flow graph: \(JSONText.describe(error))",
                hint: "pass a file from the flows/ folder that scenarios convert wrote", at: .init(file: path))
        }
    }

    public mutating func run(_ script: SimulationScript) -> Result {
        var path: [String] = []
        var steps: [StepResult] = []
        for (index, step) in script.steps.enumerated() {
            var mismatches: [String] = []
            let entered = advance(step, &mismatches)
            if let entered { path.append(entered) }
            let state = entered.flatMap { flow.state($0) }
            let replies = state?.messages ?? []
            if let expect = step.expect { check(expect, state: state, replies: replies, &mismatches) }
            steps.append(
                StepResult(
                    step: index + 1, input: step.input, state: entered, replies: replies.map { text(of: $0, in: state) },
                    mismatches: mismatches))
        }
        return Result(flow: flow.name, path: path, steps: steps)
    }

    /// The state entered by this step, if any; nil means no reply.
    private mutating func advance(_ step: SimulationScript.Step, _ mismatches: inout [String]) -> String? {
        if let wait = step.waitHours {
            hours += wait
            guard let current, let timeout = flow.state(current)?.timeout, wait >= timeout.afterHours else { return nil }
            return enter(timeout.to, &mismatches)
        }
        lastUserMessage = hours
        if let typed = step.text,
            let global = flow.global.first(where: {
                $0.value.caseInsensitiveCompare(typed.trimmingCharacters(in: .whitespaces)) == .orderedSame
            })
        {
            return enter(global.to, &mismatches)
        }
        guard let currentID = current, let state = flow.state(currentID) else {
            return enter(flow.start, &mismatches)
        }
        let offered = choices(of: state)
        if let id = step.button ?? step.list {
            let kind = step.button != nil ? "button" : "list"
            guard offered.contains(where: { $0.id == id }) else {
                mismatches.append(
                    "\(kind) \(id) was not offered in state \(currentID) (offered: \(offered.map(\.id).joined(separator: ", ")))")
                return nil
            }
            if let transition = state.transitions.first(where: { $0.value == id }) {
                if transition.kind != kind { mismatches.append("\(id) arrives as a \(transition.kind) reply, not a \(kind) tap") }
                return enter(transition.to, &mismatches)
            }
        } else if let typed = step.text?.trimmingCharacters(in: .whitespaces) {
            let same = { (value: String) in value.caseInsensitiveCompare(typed) == .orderedSame }
            if let transition = state.transitions.first(where: { $0.kind == "text" && same($0.value) }) {
                return enter(transition.to, &mismatches)
            }
            if let choice = offered.first(where: { same($0.id) || same($0.title) }),
                let transition = state.transitions.first(where: { $0.value == choice.id })
            {
                return enter(transition.to, &mismatches)
            }
        }
        if let fallback = state.fallback { return enter(fallback, &mismatches) }
        return nil
    }

    private mutating func enter(_ id: String, _ mismatches: inout [String]) -> String? {
        guard let state = flow.state(id) else {
            mismatches.append("the flow goes to state \(id), which does not exist")
            return nil
        }
        current = id
        let windowOpen = lastUserMessage.map { hours - $0 < 24 } ?? false
        if !windowOpen, state.messages.contains(where: { $0.type != "template" }) {
            mismatches.append(
                "state \(id) sends a session message \(lastUserMessage == nil ? "before the user wrote" : "after the 24-hour window closed"): WhatsApp refuses it (131047); it needs a template"
            )
        }
        return id
    }

    private func choices(of state: FlowState) -> [(id: String, title: String)] {
        state.messages.flatMap(\.choices) + (state.template?.buttons.map { ($0.id, $0.title) } ?? [])
    }

    private func text(of message: WAMessage, in state: FlowState?) -> String {
        message.type == "template" ? (state?.template?.body ?? "") : message.readableText
    }

    private func check(
        _ expect: SimulationScript.Expectation, state: FlowState?, replies: [WAMessage], _ mismatches: inout [String]
    ) {
        let texts = replies.map { text(of: $0, in: state) }
        if let wanted = expect.state, state?.id != wanted {
            mismatches.append("expected state \(wanted), got \(state?.id ?? "no reply")")
        }
        for needle in expect.contains ?? [] where !texts.contains(where: { $0.localizedCaseInsensitiveContains(needle) }) {
            mismatches.append("no reply contains \"\(needle)\"")
        }
        if let equals = expect.equals, !texts.contains(equals) {
            mismatches.append("no reply equals \"\(equals)\" (got: \(texts.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        if let buttons = expect.buttons {
            let offered = state.map { choices(of: $0).map(\.title) } ?? []
            if offered != buttons {
                mismatches.append("offered [\(offered.joined(separator: ", "))], expected [\(buttons.joined(separator: ", "))]")
            }
        }
        if let template = expect.template, !replies.contains(where: { $0.template?.name == template }) {
            mismatches.append("template \(template) was not sent")
        }
        if expect.noReply == true, !replies.isEmpty { mismatches.append("expected no reply, got \(replies.count) messages") }
        if expect.noReply == false || (expect.noReply == nil && expect.hasContentCheck), replies.isEmpty, state == nil {
            mismatches.append("expected a reply, got none")
        }
        if let action = expect.action, state?.action != action {
            mismatches.append("expected action \(action), got \(state?.action ?? "none")")
        }
    }
}

extension SimulationScript.Expectation {
    var hasContentCheck: Bool { contains != nil || equals != nil || buttons != nil || template != nil }
}
