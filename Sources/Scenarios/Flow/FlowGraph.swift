import Foundation
import TemplateRules

/// A converted conversation: states that send WhatsApp messages and move on
/// button ids, list row ids or typed keywords. Format `wamigrate-flow/1`,
/// documented in the README; the simulator runs it.
public struct FlowGraph: Codable, Sendable, Equatable {
    public var format = "wamigrate-flow/1"
    public var name: String
    public var source: String
    public var language: String
    /// Entered by the user's first message that matches no global keyword.
    public var start: String
    /// Typed keywords that work in every state (whole message, any case).
    public var global: [FlowTransition] = []
    public var states: [FlowState]

    public func state(_ id: String) -> FlowState? { states.first { $0.id == id } }

    public func encoded() throws -> Data {
        try JSONText.encode(self)
    }
}

public struct FlowState: Codable, Sendable, Equatable {
    public var id: String
    public var messages: [WAMessage]
    public var transitions: [FlowTransition] = []
    /// Where any other input goes; nil: the input gets no reply.
    public var fallback: String?
    /// `session`: sent inside the 24-hour window that the user's last message
    /// opened. `template`: may be sent after the window closed, so it is a template.
    public var window: String = "session"
    /// The template this state sends when `window` is `template`, with its body.
    public var template: TemplateRef?
    /// A consent action the state records: `opt_out` or `opt_in`.
    public var action: String?
    /// The business speaks again after this many silent hours.
    public var timeout: Timeout?
    public var notes: [String] = []

    enum CodingKeys: String, CodingKey {
        case id, messages, transitions, window, template, action, timeout, notes
        case fallback = "default"
    }

    public init(id: String, messages: [WAMessage]) {
        self.id = id
        self.messages = messages
    }

    public struct TemplateRef: Codable, Sendable, Equatable {
        public var name: String
        public var language: String
        public var body: String
        /// Quick replies: the payload set at send time (`id`) and the label.
        public var buttons: [Button] = []

        public struct Button: Codable, Sendable, Equatable {
            public var id: String
            public var title: String
        }
    }

    public struct Timeout: Codable, Sendable, Equatable {
        public var afterHours: Double
        public var to: String
        enum CodingKeys: String, CodingKey {
            case to
            case afterHours = "after_hours"
        }
    }
}

/// `button` and `list` match the id a tap sends; `text` matches a typed
/// message as a whole, without case.
public struct FlowTransition: Codable, Sendable, Equatable {
    public var kind: String
    public var value: String
    public var to: String

    public init(kind: String, value: String, to: String) {
        self.kind = kind
        self.value = value
        self.to = to
    }
}
