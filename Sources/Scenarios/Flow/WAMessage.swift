/// A WhatsApp message as `POST /{PHONE_NUMBER_ID}/messages` takes it, without
/// `to` (contracts.md §2.7 and §3): text, interactive (button, list, cta_url,
/// location_request_message), media, location or template.
public struct WAMessage: Codable, Sendable, Equatable {
    public var messagingProduct = "whatsapp"
    public var type: String
    public var text: TextBody?
    public var interactive: Interactive?
    public var image: Media?
    public var video: Media?
    public var document: Media?
    public var location: Location?
    public var template: TemplateSend?

    enum CodingKeys: String, CodingKey {
        case type, text, interactive, image, video, document, location, template
        case messagingProduct = "messaging_product"
    }

    public static func text(_ body: String) -> WAMessage {
        WAMessage(type: "text", text: TextBody(body: body))
    }

    public static func interactive(_ interactive: Interactive) -> WAMessage {
        WAMessage(type: "interactive", interactive: interactive)
    }

    public struct TextBody: Codable, Sendable, Equatable {
        public var body: String
        public var previewURL: Bool?
        enum CodingKeys: String, CodingKey {
            case body
            case previewURL = "preview_url"
        }
    }

    public struct Media: Codable, Sendable, Equatable {
        public var link: String
        public var caption: String?
    }

    public struct Location: Codable, Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double
    }

    public struct TemplateSend: Codable, Sendable, Equatable {
        public struct Language: Codable, Sendable, Equatable { public var code: String }
        public var name: String
        public var language: Language
    }

    /// What a user reads: the text, body, caption or template preview.
    public var readableText: String {
        text?.body ?? interactive?.body.text ?? image?.caption ?? video?.caption ?? document?.caption ?? ""
    }

    /// What a user can tap: button titles, list row titles or the CTA label.
    public var choices: [(id: String, title: String)] {
        guard let interactive else { return [] }
        if let buttons = interactive.action.buttons { return buttons.map { ($0.reply.id, $0.reply.title) } }
        if let sections = interactive.action.sections { return sections.flatMap { $0.rows.map { ($0.id, $0.title) } } }
        if let cta = interactive.action.parameters { return [(cta.url, cta.displayText)] }
        return []
    }
}

public struct Interactive: Codable, Sendable, Equatable {
    public var type: String
    public var header: Header?
    public var body: Body
    public var footer: Body?
    public var action: Action

    public struct Header: Codable, Sendable, Equatable {
        public var type = "text"
        public var text: String
    }

    public struct Body: Codable, Sendable, Equatable { public var text: String }

    public struct Action: Codable, Sendable, Equatable {
        public var name: String?
        public var button: String?
        public var buttons: [ReplyButton]?
        public var sections: [Section]?
        public var parameters: CTAParameters?
    }

    public struct ReplyButton: Codable, Sendable, Equatable {
        public struct Reply: Codable, Sendable, Equatable {
            public var id: String
            public var title: String
        }
        public var type = "reply"
        public var reply: Reply
    }

    public struct Section: Codable, Sendable, Equatable {
        public var title: String
        public var rows: [Row]
    }

    public struct Row: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var description: String?
    }

    public struct CTAParameters: Codable, Sendable, Equatable {
        public var displayText: String
        public var url: String
        enum CodingKeys: String, CodingKey {
            case url
            case displayText = "display_text"
        }
    }
}
