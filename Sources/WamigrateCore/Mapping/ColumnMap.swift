import Foundation
import WamigrateBase

/// A profile applied to one file's header: which column index feeds which field.
public struct ColumnMap: Sendable, Codable {
    public var indices: [ContactField: Int]
    public var headers: [String]
    public var directionIndex: Int?
    public var inboundPhoneIndex: Int?

    public static func resolve(profile: MappingProfile, header: [String], file: String) throws -> ColumnMap {
        let normalized = header.map(ContactField.normalizeHeader)
        var indices: [ContactField: Int] = [:]
        func find(_ names: [String]) -> Int? {
            for name in names {
                if let index = normalized.firstIndex(of: ContactField.normalizeHeader(name)) { return index }
            }
            return nil
        }
        for (key, names) in profile.columns {
            guard let field = ContactField(rawValue: key) else { continue }
            if let index = find(names) { indices[field] = index }
        }
        if profile.autodetect ?? profile.columns.isEmpty {
            let taken = Set(indices.values)
            for field in ContactField.allCases where indices[field] == nil {
                if let index = find(field.synonyms), !taken.contains(index) { indices[field] = index }
            }
        }
        try refuseDuplicates(of: indices, normalized: normalized, file: file)
        var map = ColumnMap(indices: indices, headers: header, directionIndex: nil, inboundPhoneIndex: nil)
        if let direction = profile.direction {
            map.directionIndex = find([direction.column])
            map.inboundPhoneIndex = find(direction.inboundPhone)
        }
        if indices[.phone] == nil && indices[.viberID] == nil {
            // The first line may be a data row (a headerless export): its cells are never
            // printed, only their shape.
            let shown = header.prefix(20).map(Self.shape).joined(separator: ", ")
            throw WamigrateError(
                .inputNoPhoneColumn,
                "no phone column found with profile '\(profile.name)'; the first line has \(header.count) columns (\(shown))",
                hint: "name the profile that fits (--mapping twilio|plivo|vonage|messagebird|viber|generic) "
                    + "or write one that maps your phone header (see mappings/README.md)",
                at: .init(file: file, line: 1))
        }
        return map
    }

    /// A header that maps a field and appears twice (two `phone` columns) would silently
    /// lose one column: an error instead.
    static func refuseDuplicates(of indices: [ContactField: Int], normalized: [String], file: String) throws {
        for (field, index) in indices.sorted(by: { $0.value < $1.value }) {
            let twin = normalized.indices.first { $0 != index && normalized[$0] == normalized[index] }
            if let twin {
                throw WamigrateError(
                    .mapping,
                    "the header names column \(index + 1) and column \(twin + 1) alike; both would feed \(field.rawValue)",
                    hint: "rename one of the two columns in the export, or map the one you mean in a profile",
                    at: .init(file: file, line: 1, column: twin + 1))
            }
        }
    }

    /// What a header cell looks like, without its text: `word`, `digits`, `email`, `empty`, `text`.
    static func shape(_ cell: String) -> String {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "empty" }
        if trimmed.contains("@") { return "email" }
        if trimmed.contains(where: \.isNumber) { return "digits" }
        return trimmed.contains(" ") ? "text" : "word"
    }

    public func value(_ field: ContactField, in fields: [String]) -> String {
        guard let index = indices[field], index < fields.count else { return "" }
        return fields[index]
    }

    /// The phone cell, taking the message direction into account for message logs.
    public func phone(in fields: [String]) -> String {
        if let direction = directionIndex, let inbound = inboundPhoneIndex, direction < fields.count,
            fields[direction].lowercased().hasPrefix("inbound"), inbound < fields.count
        {
            return fields[inbound]
        }
        return value(.phone, in: fields)
    }

    /// Field → header name, for the manifest and status.
    public var described: [String: String] {
        Dictionary(uniqueKeysWithValues: indices.map { ($0.key.rawValue, headers[$0.value]) })
    }
}
