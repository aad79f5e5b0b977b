import Foundation

/// A template creation payload exactly as `POST /{WABA_ID}/message_templates`
/// takes it (contracts.md §2.1). Types are kept as the strings the file holds
/// (Meta accepts `BODY` and `body`); the linter compares them without case.
public struct TemplatePayload: Codable, Sendable, Equatable {
    public var name: String
    public var language: String
    public var category: String
    /// `named` or `positional`; omitted means positional.
    public var parameterFormat: String?
    public var messageSendTTLSeconds: Int?
    public var components: [TemplateComponent]

    public init(
        name: String, language: String, category: String, parameterFormat: String? = nil,
        components: [TemplateComponent]
    ) {
        self.name = name
        self.language = language
        self.category = category
        self.parameterFormat = parameterFormat
        self.components = components
    }

    enum CodingKeys: String, CodingKey {
        case name, language, category, components
        case parameterFormat = "parameter_format"
        case messageSendTTLSeconds = "message_send_ttl_seconds"
    }

    /// True when the template uses `{{name}}` parameters.
    public var isNamed: Bool { parameterFormat?.lowercased() == "named" }

    /// The first component of this type (compared without case).
    public func component(_ type: String) -> TemplateComponent? {
        components.first { $0.type.uppercased() == type }
    }

    /// Pretty, key-sorted JSON: what the converter writes and submit sends.
    public func encoded() throws -> Data {
        try JSONText.encode(self)
    }
}

public struct TemplateComponent: Codable, Sendable, Equatable {
    /// HEADER, BODY, FOOTER or BUTTONS.
    public var type: String
    /// For headers: TEXT, IMAGE, VIDEO, GIF, DOCUMENT or LOCATION.
    public var format: String?
    public var text: String?
    public var example: TemplateExample?
    public var buttons: [TemplateButton]?
    /// Authentication templates: body and footer add-ons in Meta's preset wording.
    public var addSecurityRecommendation: Bool?
    public var codeExpirationMinutes: Int?

    public init(
        type: String, format: String? = nil, text: String? = nil, example: TemplateExample? = nil,
        buttons: [TemplateButton]? = nil
    ) {
        self.type = type
        self.format = format
        self.text = text
        self.example = example
        self.buttons = buttons
    }

    enum CodingKeys: String, CodingKey {
        case type, format, text, example, buttons
        case addSecurityRecommendation = "add_security_recommendation"
        case codeExpirationMinutes = "code_expiration_minutes"
    }
}

public struct TemplateExample: Codable, Sendable, Equatable {
    public var headerText: [String]?
    public var headerTextNamedParams: [NamedExample]?
    /// An array of arrays: one inner array of values, in `{{1}}…{{n}}` order.
    public var bodyText: [[String]]?
    public var bodyTextNamedParams: [NamedExample]?
    public var headerHandle: [String]?

    public init(
        headerText: [String]? = nil, headerTextNamedParams: [NamedExample]? = nil, bodyText: [[String]]? = nil,
        bodyTextNamedParams: [NamedExample]? = nil
    ) {
        self.headerText = headerText
        self.headerTextNamedParams = headerTextNamedParams
        self.bodyText = bodyText
        self.bodyTextNamedParams = bodyTextNamedParams
    }

    enum CodingKeys: String, CodingKey {
        case headerText = "header_text"
        case headerTextNamedParams = "header_text_named_params"
        case bodyText = "body_text"
        case bodyTextNamedParams = "body_text_named_params"
        case headerHandle = "header_handle"
    }
}

public struct NamedExample: Codable, Sendable, Equatable {
    public var paramName: String
    public var example: String

    public init(paramName: String, example: String) {
        self.paramName = paramName
        self.example = example
    }

    enum CodingKeys: String, CodingKey {
        case paramName = "param_name"
        case example
    }
}

public struct TemplateButton: Codable, Sendable, Equatable {
    /// QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE or OTP (and special types the linter names).
    public var type: String
    public var text: String?
    public var url: String?
    public var phoneNumber: String?
    /// URL buttons: `["<full url>"]`; COPY_CODE: `"<code>"` (kept as a one-element list).
    public var example: [String]?
    public var otpType: String?

    public init(type: String, text: String?, url: String? = nil, phoneNumber: String? = nil, example: [String]? = nil) {
        self.type = type
        self.text = text
        self.url = url
        self.phoneNumber = phoneNumber
        self.example = example
    }

    enum CodingKeys: String, CodingKey {
        case type, text, url, example
        case phoneNumber = "phone_number"
        case otpType = "otp_type"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        phoneNumber = try container.decodeIfPresent(String.self, forKey: .phoneNumber)
        otpType = try container.decodeIfPresent(String.self, forKey: .otpType)
        if let single = try? container.decodeIfPresent(String.self, forKey: .example) {
            example = [single]
        } else {
            example = try container.decodeIfPresent([String].self, forKey: .example)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encodeIfPresent(phoneNumber, forKey: .phoneNumber)
        try container.encodeIfPresent(otpType, forKey: .otpType)
        if let example {
            if type.uppercased() == "COPY_CODE", let code = example.first {
                try container.encode(code, forKey: .example)
            } else {
                try container.encode(example, forKey: .example)
            }
        }
    }
}
