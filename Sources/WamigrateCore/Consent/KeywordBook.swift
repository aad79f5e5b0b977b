import Foundation
import WamigrateBase
import Yams

/// Opt-in, opt-out and help keywords (`mappings/campaign/keywords.yml`): the
/// carriers' English defaults plus localized words. A reply matches only as the
/// whole message, compared without case.
public struct KeywordBook: Sendable, Equatable {
    public enum Class: String, Codable, Sendable, CaseIterable {
        case optIn = "opt_in"
        case optOut = "opt_out"
        case help
        case other
    }

    struct Lists: Codable, Equatable {
        var optIn: [String]?
        var optOut: [String]?
        var help: [String]?

        enum CodingKeys: String, CodingKey {
            case optIn = "opt_in"
            case optOut = "opt_out"
            case help
        }
    }

    struct File: Codable {
        var optIn: [String]
        var optOut: [String]
        var help: [String]?
        var languages: [String: Lists]?

        enum CodingKeys: String, CodingKey {
            case optIn = "opt_in"
            case optOut = "opt_out"
            case help, languages
        }
    }

    /// Folded keyword → its class.
    private(set) var words: [String: Class] = [:]

    /// Twilio's defaults, for when no file is given (distinct words: nothing to check).
    public static let builtIn = KeywordBook(
        distinct: [
            (.optIn, ["YES", "START", "UNSTOP"]),
            (.optOut, ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]),
            (.help, ["HELP", "INFO"]),
        ])

    private init(distinct lists: [(Class, [String])]) {
        for (kind, list) in lists { for word in list { words[Self.fold(word)] = kind } }
    }

    init(optIn: [String], optOut: [String], help: [String]) throws {
        for (list, kind) in [(optOut, Class.optOut), (optIn, .optIn), (help, .help)] {
            for word in list {
                let key = Self.fold(word)
                if let existing = words[key], existing != kind {
                    throw WamigrateError(
                        .config, "keyword '\(word)' is both \(existing.rawValue) and \(kind.rawValue)",
                        hint: "a keyword can have one meaning only; remove one of them")
                }
                words[key] = kind
            }
        }
    }

    public static func load(path: String) throws -> KeywordBook {
        guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WamigrateError(
                .inputMissing, "keyword file not found or not UTF-8", hint: "check the --keywords path", at: .init(file: path))
        }
        do {
            let file = try BoundedYAML.decode(File.self, from: yaml)
            var optIn = file.optIn
            var optOut = file.optOut
            var help = file.help ?? []
            for (_, lists) in (file.languages ?? [:]).sorted(by: { $0.key < $1.key }) {
                optIn += lists.optIn ?? []
                optOut += lists.optOut ?? []
                help += lists.help ?? []
            }
            return try KeywordBook(optIn: optIn, optOut: optOut, help: help)
        } catch var error as WamigrateError {
            error.location = .init(file: path)
            throw error
        } catch {
            throw WamigrateError(
                .config, "keyword file does not parse: \(YAMLErrors.describe(error))",
                hint: "it needs opt_in and opt_out lists, and optionally help and languages",
                at: YAMLErrors.location(of: error, in: yaml, file: path))
        }
    }

    /// Whole message, trimmed, case-insensitive; "please stop" is `other`.
    public func classify(_ body: String) -> (Class, keyword: String?) {
        let key = Self.fold(body)
        if let kind = words[key] { return (kind, key) }
        // Several parts (lines, or a form's repeated Body values): a stop in any part wins.
        let parts = body.split(whereSeparator: \.isNewline).map { Self.fold(String($0)) }
        if parts.count > 1, let stop = parts.first(where: { words[$0] == .optOut }) { return (.optOut, stop) }
        return (.other, nil)
    }

    /// True when some opt-out keyword stands as a word in the text (message files must say how to withdraw).
    func mentionsOptOut(_ text: String) -> Bool {
        let tokens = Set(
            Self.fold(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        return words.contains { $0.value == .optOut && !$0.key.contains(" ") && tokens.contains($0.key) }
    }

    /// Unicode-normalized, uppercased without locale rules, inner spaces collapsed, ends trimmed.
    static func fold(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.uppercased()
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
