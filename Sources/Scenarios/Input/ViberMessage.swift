/// Viber's `send_message` body (contracts.md §5.2), the fields a conversion reads.
public struct ViberMessage: Codable, Sendable {
    public var type: String?
    public var text: String?
    public var media: String?
    public var location: Location?
    public var keyboard: Keyboard?
    public var richMedia: Keyboard?
    public var sender: Sender?
    public var trackingData: String?

    enum CodingKeys: String, CodingKey {
        case type, text, media, location, keyboard, sender
        case richMedia = "rich_media"
        case trackingData = "tracking_data"
    }

    public struct Location: Codable, Sendable {
        public var lat: Double
        public var lon: Double
    }

    public struct Sender: Codable, Sendable { public var name: String? }

    public struct Keyboard: Codable, Sendable {
        public var buttons: [Button]
        enum CodingKeys: String, CodingKey { case buttons = "Buttons" }
    }

    public struct Button: Codable, Sendable {
        public var actionType: String?
        public var actionBody: String?
        public var text: String?
        public var image: String?
        public var columns: Int?
        public var rows: Int?

        enum CodingKeys: String, CodingKey {
            case actionType = "ActionType"
            case actionBody = "ActionBody"
            case text = "Text"
            case image = "Image"
            case columns = "Columns"
            case rows = "Rows"
        }

        /// `reply` is Viber's default.
        public var kind: String { (actionType ?? "reply").lowercased() }
    }
}

/// A Viber bot flow: states that each send a message and move on the
/// `ActionBody` a user sends. `timeout` is a wamigrate extension for messages
/// the bot sends after the user went quiet (reminders).
public struct ViberFlow: Codable, Sendable {
    public var name: String?
    public var language: String?
    public var start: String
    public var states: [String: State]

    public struct State: Codable, Sendable {
        public var message: ViberMessage?
        public var messages: [ViberMessage]?
        public var transitions: [String: String]?
        public var fallback: String?
        public var timeout: Timeout?
        public var action: String?

        enum CodingKeys: String, CodingKey {
            case message, messages, transitions, timeout, action
            case fallback = "default"
        }

        var allMessages: [ViberMessage] { (message.map { [$0] } ?? []) + (messages ?? []) }
    }

    public struct Timeout: Codable, Sendable {
        public var afterHours: Double
        public var to: String
        enum CodingKeys: String, CodingKey {
            case to
            case afterHours = "after_hours"
        }
    }
}
