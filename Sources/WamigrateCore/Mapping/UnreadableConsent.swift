import WamigrateBase

/// Consent cells extract could not read. A consent column whose values are neither
/// opt-in nor opt-out words fails the run, naming the column and the values, rather
/// than losing what they say (an unread "abgemeldet" would lose an opt-out).
struct UnreadableConsent {
    struct Seen {
        var count = 0
        var firstLine = 0
    }

    private(set) var byField: [ContactField: [String: Seen]] = [:]
    static let valuesShown = 5

    mutating func note(_ field: ContactField, _ raw: String, line: Int) {
        let value = Redact.digits(raw.trimmedASCII)
        var seen = byField[field, default: [:]]
        if seen[value] == nil && seen.count >= 100 { return }  // enough to name them; memory stays bounded
        seen[value, default: Seen(count: 0, firstLine: line)].count += 1
        byField[field] = seen
    }

    func error(map: ColumnMap, file: String) -> WamigrateError? {
        guard let (field, values) = byField.sorted(by: { $0.key.rawValue < $1.key.rawValue }).first,
            let index = map.indices[field]
        else { return nil }
        let first = values.values.map(\.firstLine).min() ?? 1
        let shown = values.sorted { $0.value.count > $1.value.count }.prefix(Self.valuesShown)
            .map { "'\($0.key)' (\($0.value.count) rows)" }.joined(separator: ", ")
        let header = Redact.digits(map.headers[index].trimmedASCII)
        let meaning = field == .optOut ? "yes/no or opt-out words" : "opt-in or opt-out words"
        return WamigrateError(
            .inputConsent,
            "consent column '\(header)' (column \(index + 1)) holds values that are not \(meaning): \(shown)",
            hint: "add them to the profile's consent_values (opted_in: [...], opted_out: [...]; see mappings/README.md), "
                + "or map the column to another field if it is not consent",
            at: .init(file: file, line: first, column: index + 1))
    }
}
