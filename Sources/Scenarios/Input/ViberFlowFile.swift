import Foundation
import TemplateRules
import WamigrateBase

/// Reads a Viber flow file, or a plain list of `send_message` bodies (each
/// becomes a state of its own). JSON errors name the file, line and column.
enum ViberFlowFile {
    enum Content {
        case flow(ViberFlow)
        case messages([ViberMessage])
    }

    static func read(_ path: String, data: Data) throws -> Content {
        let decoder = JSONDecoder()
        do {
            let object = try JSONSerialization.jsonObject(with: data)
            if object is [Any] { return .messages(try decoder.decode([ViberMessage].self, from: data)) }
            if let dictionary = object as? [String: Any], dictionary["states"] == nil {
                return .messages([try decoder.decode(ViberMessage.self, from: data)])
            }
            let flow = try decoder.decode(ViberFlow.self, from: data)
            try check(flow, path: path, data: data)
            return .flow(flow)
        } catch let error as WamigrateError {
            throw error
        } catch {
            throw jsonError(error, path: path, data: data)
        }
    }

    /// Every transition, default and timeout names a state that exists.
    static func check(_ flow: ViberFlow, path: String, data: Data) throws {
        func missing(_ target: String, _ from: String) -> WamigrateError {
            WamigrateError(
                .inputJSON, "state '\(from)' goes to '\(target)', which is not a state",
                hint: "add a state named '\(target)' or fix the name", at: location(of: "\"\(target)\"", in: data, path: path))
        }
        guard flow.states[flow.start] != nil else { throw missing(flow.start, "start") }
        for (id, state) in flow.states {
            for target in (state.transitions ?? [:]).values where flow.states[target] == nil { throw missing(target, id) }
            if let target = state.fallback, flow.states[target] == nil { throw missing(target, id) }
            if let target = state.timeout?.to, flow.states[target] == nil { throw missing(target, id) }
            if state.allMessages.isEmpty {
                throw WamigrateError(
                    .inputJSON, "state '\(id)' has no message", hint: "give it a \"message\" (a Viber send_message body)",
                    at: location(of: "\"\(id)\"", in: data, path: path))
            }
        }
    }

    static func jsonError(_ error: Error, path: String, data: Data) -> WamigrateError {
        var offset: Int?
        var what = "not valid JSON"
        let info = (error as NSError).userInfo
        if let index = info["NSJSONSerializationErrorIndex"] as? Int {
            offset = index
        } else if let text = info["NSDebugDescription"] as? String, let range = text.range(of: "around character ") {
            // Linux Foundation: "Invalid value around character 30."
            offset = Int(text[range.upperBound...].prefix { $0.isNumber })
            what += ": " + text
        }
        if error is DecodingError { what = JSONText.describe(error) }
        var place = WamigrateError.Location(file: path)
        if let offset { place = position(offset, in: data, path: path) }
        return WamigrateError(
            .inputJSON, "Viber flow file: \(what)", hint: "fix the JSON; the README shows the flow format", at: place)
    }

    static func location(of needle: String, in data: Data, path: String) -> WamigrateError.Location {
        guard let text = String(data: data, encoding: .utf8), let range = text.range(of: needle) else {
            return .init(file: path)
        }
        return position(text.utf8.distance(from: text.startIndex, to: range.lowerBound), in: data, path: path)
    }

    /// 1-based line and column of a byte offset.
    static func position(_ offset: Int, in data: Data, path: String) -> WamigrateError.Location {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return .init(file: path, line: line, column: column)
    }
}
