import Crypto
import Foundation
import WamigrateBase
import WamigrateModel

/// One thing a person or a gateway sent back: a message, a delivery status or
/// a Viber unsubscribe, with where in which file it was read.
public struct InboundEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case message(String)
        /// `providerID` is the outbound message's id.
        case status(ReceiptStatus)
        case unsubscribed
    }

    public var kind: Kind
    public var channel: Channel
    /// The inbound message's id (for a status: the outbound message's id).
    public var providerID: String
    /// +E164, or viber:<user id>; nil for statuses that do not say.
    public var address: String?
    /// When it happened (Unix seconds), when the source says.
    public var at: Int64?
    /// Viber's tracking_data: the idempotency key of the message replied to.
    public var tracking: String?
    public var origin: String
    /// A WhatsApp quick-reply button pressed on a template (`type: button`) or an interactive
    /// reply (`button_reply`, `list_reply`): a click, not typed text.
    public var button = false

    /// What makes a message the same message: its sender, its id, its time and its body.
    /// A provider's id alone is a claim (empty, missing or repeated ids occur), so two
    /// people's replies that share one are two messages.
    public var messageKey: String {
        var body = ""
        if case .message(let text) = kind { body = text }
        let fields = [providerID, address ?? "", at.map(String.init) ?? "", body].joined(separator: "\u{1F}")
        return Hex.string(SHA256.hash(data: Data(fields.utf8)).prefix(12))
    }
}

/// Reads inbound files: a Twilio-style CSV (messaging log export; inbound rows
/// are replies, outbound rows are counted and skipped), or JSON Lines where
/// each line is a Viber webhook body (`message`, `delivered`, `seen`, `failed`,
/// `unsubscribed`) or a Twilio webhook form post (inbound message, or status
/// callback). The whole file is checked before anything is stored.
public enum InboundFile {
    public struct Parsed: Sendable {
        public var events: [InboundEvent] = []
        /// Outbound rows of a messaging-log CSV (not replies).
        public var skippedOutbound = 0
    }

    public static func read(path: String) throws -> Parsed {
        guard FileManager.default.fileExists(atPath: path) else {
            throw WamigrateError(.inputMissing, "replies file not found", hint: "check the --from path", at: .init(file: path))
        }
        return path.lowercased().hasSuffix(".csv") ? try csv(path) : try jsonLines(path)
    }

    private static func csv(_ path: String) throws -> Parsed {
        let reader = try CSVReader(path: path, encoding: .utf8BOM)
        guard let header = try reader.next() else {
            throw WamigrateError(.inputEmpty, "replies file is empty", hint: "export the inbound messages", at: .init(file: path))
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ candidates: [String]) -> Int? { candidates.lazy.compactMap { names.firstIndex(of: $0) }.first }
        guard let from = column(["from"]), let body = column(["body"]),
            let sid = column(["sid", "messagesid", "message_sid"])
        else {
            throw WamigrateError(
                .inputCSV, "a replies CSV needs From, Body and Sid columns",
                hint: "use Twilio's messaging-log export header: From,To,Body,Status,SentDate,...,Sid,Direction",
                at: .init(file: path, line: header.line, column: 1))
        }
        let direction = column(["direction"])
        let date = column(["sentdate", "datesent", "date_sent", "datecreated", "date_created"])
        let parser = DateParser(order: .monthFirst)
        var parsed = Parsed()
        while let record = try reader.next() {
            func cell(_ index: Int?) -> String? {
                guard let index, index < record.fields.count else { return nil }
                let text = record.fields[index].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            if let way = cell(direction), !way.lowercased().hasPrefix("inbound") {
                parsed.skippedOutbound += 1
                continue
            }
            let origin = "\(URL(fileURLWithPath: path).lastPathComponent):\(record.line)"
            guard let id = cell(sid) else {
                throw WamigrateError(
                    .inputCSV, "inbound row has no Sid", hint: "every message needs its provider id, so it is read once",
                    at: .init(file: path, line: record.line, column: sid + 1))
            }
            guard let number = cell(from).flatMap(E164Text.compact) else {
                throw WamigrateError(
                    .inputCSV, "inbound row's From is not an E.164 number",
                    hint: "Twilio writes +<country code><number>; fix or remove the row",
                    at: .init(file: path, line: record.line, column: from + 1))
            }
            parsed.events.append(
                InboundEvent(
                    kind: .message(cell(body) ?? ""), channel: .sms, providerID: id, address: number,
                    at: cell(date).flatMap(parser.parse), tracking: nil, origin: origin))
        }
        return parsed
    }

    private static func jsonLines(_ path: String) throws -> Parsed {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw WamigrateError(
                .inputEncoding, "replies file is not UTF-8 text", hint: "save it as UTF-8", at: .init(file: path))
        }
        var parsed = Parsed()
        let file = URL(fileURLWithPath: path).lastPathComponent
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let origin = "\(file):\(index + 1)"
            func fail(_ problem: String, _ fix: String) -> WamigrateError {
                WamigrateError(.inputJSON, problem, hint: fix, at: .init(file: path, line: index + 1, column: 1))
            }
            if line.hasPrefix("{") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw fail("line is not a JSON object", "each line is one webhook body; fix or remove the line")
                }
                guard let event = try viber(object, origin: origin) else {
                    throw fail(
                        "JSON line is not a Viber webhook event",
                        "Viber events have \"event\": message, delivered, seen, failed or unsubscribed")
                }
                if let event { parsed.events.append(event) }
            } else {
                let fields = Form.decode(line)
                if let repeated = fields.first(where: { $0.value.count > 1 && $0.key != "Body" })?.key {
                    throw fail(
                        "form line gives \(repeated) more than once",
                        "a webhook post names each field once; fix or remove the line")
                }
                if let cut = fields.first(where: { $0.value.contains { $0.contains("\u{0}") } })?.key {
                    throw fail("form line's \(cut) holds a NUL character", "fix or remove the line")
                }
                // Repeated Body values are kept as lines of one message (a stop in any of them wins).
                let form = fields.mapValues { $0.joined(separator: "\n") }
                guard let id = form["MessageSid"] ?? form["SmsSid"], !id.isEmpty else {
                    throw fail(
                        "form line has no MessageSid",
                        "each line is one Twilio webhook form post (MessageSid=...&From=...&Body=...)")
                }
                let at = (form["Timestamp"] ?? form["DateSent"]).flatMap(DateParser().parse)
                if let body = form["Body"] {
                    guard let number = form["From"].flatMap(E164Text.compact) else {
                        throw fail("form line's From is not an E.164 number", "Twilio posts From as +<country code><number>")
                    }
                    parsed.events.append(
                        InboundEvent(
                            kind: .message(body), channel: .sms, providerID: id, address: number, at: at, tracking: nil,
                            origin: origin))
                } else if let word = form["MessageStatus"] ?? form["SmsStatus"] {
                    guard let status = ReceiptStatus(rawValue: word.lowercased()) else {
                        throw fail(
                            "form line's status '\(Terminal.printable(String(word.prefix(40))))' is not an SMS status",
                            "statuses are " + ReceiptStatus.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    parsed.events.append(
                        InboundEvent(
                            kind: .status(status), channel: .sms, providerID: id, address: nil, at: at,
                            tracking: nil, origin: origin))
                } else {
                    throw fail("form line has neither Body nor MessageStatus", "keep inbound messages and status callbacks only")
                }
            }
        }
        return parsed
    }

    /// A Viber webhook body; `.some(nil)` for events that carry nothing to record (conversation_started, webhook).
    private static func viber(_ object: [String: Any], origin: String) throws -> InboundEvent?? {
        guard let event = object["event"] as? String else { return nil }
        let at = (object["timestamp"] as? NSNumber).map { $0.int64Value / 1000 }
        let token = (object["message_token"] as? NSNumber)?.stringValue ?? object["message_token"] as? String
        switch event {
        case "message":
            guard let sender = (object["sender"] as? [String: Any])?["id"] as? String, let token,
                let message = object["message"] as? [String: Any]
            else { return nil }
            return .some(
                InboundEvent(
                    kind: .message(message["text"] as? String ?? ""), channel: .viber, providerID: token,
                    address: "viber:\(sender)", at: at, tracking: message["tracking_data"] as? String, origin: origin))
        case "delivered", "seen", "failed":
            guard let token, let status = ReceiptStatus(rawValue: event) else { return nil }
            return .some(
                InboundEvent(
                    kind: .status(status), channel: .viber, providerID: token,
                    address: (object["user_id"] as? String).map { "viber:\($0)" }, at: at, tracking: nil, origin: origin))
        case "unsubscribed":
            guard let user = object["user_id"] as? String else { return nil }
            return .some(
                InboundEvent(
                    kind: .unsubscribed, channel: .viber, providerID: token ?? "unsubscribed:\(user):\(at ?? 0)",
                    address: "viber:\(user)", at: at, tracking: nil, origin: origin))
        case "subscribed", "conversation_started", "webhook", "client_status", "action": return .some(nil)
        default: return nil
        }
    }

}

/// `application/x-www-form-urlencoded` text, as Twilio posts webhooks: every value of
/// each field, in order (a field given twice is the reader's to refuse or combine).
enum Form {
    static func decode(_ text: String) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0], default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return fields
    }
}
