import GRDB

extension DatabaseColumnDecodingStrategy {
    /// Snake-case columns to the model's property names, acronyms kept in capitals as Swift spells them:
    /// `contact_id` → `contactID`, `settings_json` → `settingsJSON`, `payload_sha256` → `payloadSHA256`.
    /// (GRDB's `.convertFromSnakeCase` gives `contactId`, which a `contactID` property never matches.)
    static let storeColumns = DatabaseColumnDecodingStrategy.custom { column in
        ColumnKey(stringValue: propertyName(column))
    }

    static func propertyName(_ column: String) -> String {
        let words = column.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = words.first else { return column }
        return words.dropFirst().reduce(String(first)) { name, word in
            name + (acronyms.contains(String(word)) ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst())
        }
    }

    private static let acronyms: Set<String> = ["id", "json", "sha256", "url"]
}

private struct ColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
