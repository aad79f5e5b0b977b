import Foundation
import WamigrateBase
import WamigrateModel
import Yams

/// A re-consent message in one language (`mappings/reconsent/<lang>.yml`): the
/// texts per channel, the business they name, what people opt in to, and the
/// version recorded as the wording shown with every reply.
public struct ReconsentMessage: Codable, Sendable, Equatable {
    public var language: String
    public var version: String
    public var business: String
    public var purpose: String
    /// The business's WhatsApp number, for the wa.me click-to-chat link.
    public var whatsappNumber: String?
    /// Regions whose contacts get this language when their own is unknown.
    public var regions: [String]?
    /// `{business}`, `{purpose}` and `{wa_link}` are filled in.
    public var sms: String?
    public var viber: String?
    /// Caption of the Viber button that opens the wa.me link.
    public var viberButton: String?
    /// The keyword the link pre-fills and the texts ask for (default YES).
    public var optInKeyword: String?
    public var file = ""

    enum CodingKeys: String, CodingKey {
        case language, version, business, purpose, regions, sms, viber
        case whatsappNumber = "whatsapp_number"
        case viberButton = "viber_button"
        case optInKeyword = "opt_in_keyword"
    }

    /// The click-to-chat link with the opt-in keyword pre-filled.
    public var waLink: String? {
        guard let number = whatsappNumber?.filter(\.isNumber), !number.isEmpty else { return nil }
        let keyword = (optInKeyword ?? "YES").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "YES"
        return "https://wa.me/\(number)?text=\(keyword)"
    }

    /// The text shown on a channel, placeholders filled in; nil when the file has none for it.
    public func text(for channel: Channel) -> String? {
        guard let template = channel == .viber ? viber : sms else { return nil }
        return template.replacingOccurrences(of: "{business}", with: business)
            .replacingOccurrences(of: "{purpose}", with: purpose)
            .replacingOccurrences(of: "{wa_link}", with: waLink ?? "")
            .replacingOccurrences(of: "  ", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }

    /// Reads and checks one message file; errors name the file, the line and the fix.
    public static func load(path: String, keywords: KeywordBook) throws -> ReconsentMessage {
        guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WamigrateError(
                .inputMissing, "message file not found or not UTF-8", hint: "check the --message path", at: .init(file: path))
        }
        var message: ReconsentMessage
        do {
            message = try BoundedYAML.decode(ReconsentMessage.self, from: yaml)
        } catch {
            throw WamigrateError(
                .config, "message file does not parse: \(YAMLErrors.describe(error))",
                hint: "it needs language, version, business, purpose and an sms and/or viber text",
                at: YAMLErrors.location(of: error, in: yaml, file: path))
        }
        message.file = path
        try message.check(yaml: yaml, keywords: keywords)
        return message
    }

    private func check(yaml: String, keywords: KeywordBook) throws {
        func fail(_ key: String, _ problem: String, _ fix: String) -> WamigrateError {
            WamigrateError(
                .config, problem, hint: fix, at: .init(file: file, line: YAMLErrors.line(ofKey: key, in: yaml), column: 1))
        }
        guard LanguageTag.isPlain(language) else {
            throw fail("language", "language '\(language)' is not a language code", "use an ISO 639-1 code such as en, de, uk")
        }
        guard sms != nil || viber != nil else {
            throw fail("language", "the file has neither an sms nor a viber text", "add `sms:` and/or `viber:`")
        }
        if whatsappNumber != nil, waLink == nil {
            throw fail("whatsapp_number", "whatsapp_number has no digits", "write the number in E.164, e.g. +4930123456789")
        }
        for (channel, limit) in [(Channel.sms, 1600), (.viber, 7000)] {
            guard let text = text(for: channel) else { continue }
            let key = channel.rawValue
            // WhatsApp's opt-in rules: the business is named and what people opt in to is said.
            guard text.contains(business) else {
                throw fail(key, "the \(key) text does not name the business", "put {business} in the text")
            }
            guard text.contains(purpose) else {
                throw fail(key, "the \(key) text does not say what people opt in to", "put {purpose} in the text")
            }
            // GDPR Art. 7(3): people are told how to withdraw.
            guard keywords.mentionsOptOut(text) else {
                throw fail(
                    key, "the \(key) text does not say how to opt out", "tell people to reply STOP (or a localized opt-out word)")
            }
            guard text.count <= limit else {
                throw fail(key, "the \(key) text has \(text.count) characters; the limit is \(limit)", "shorten it")
            }
        }
        if let button = viberButton, button.count > 30 {
            throw fail("viber_button", "viber_button is longer than 30 characters", "shorten it")
        }
    }
}

/// Language codes as message files and contacts carry them.
enum LanguageTag {
    /// `en`, `pt`, `zh`: two or three lowercase letters.
    static func isPlain(_ tag: String) -> Bool {
        (2...3).contains(tag.count) && tag.allSatisfy { ("a"..."z").contains($0) }
    }

    /// The language part of `de-AT`, `pt_BR`, `EN`.
    static func primary(_ tag: String?) -> String? {
        guard let tag else { return nil }
        let head = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        return isPlain(head) ? head : nil
    }
}
