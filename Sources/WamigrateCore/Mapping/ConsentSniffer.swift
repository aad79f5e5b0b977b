import WamigrateBase
import WamigrateModel

/// Finds a consent column that only its values give away: `status` holds
/// `subscribed`/`unsubscribed` in a Viber export but `delivered`/`failed` in a
/// Twilio log. Reads the first records of the file on its own reader.
enum ConsentSniffer {
    static let sampleRecords = 500
    /// Share of non-empty sampled cells that must read as opt-in or opt-out.
    static let threshold = 0.9

    /// The column index and header, or nil when no candidate column reads as consent.
    static func find(path: String, encoding: TextEncoding, header: [String], taken: Set<Int>) throws -> (Int, String)? {
        let candidates = header.indices.filter {
            !taken.contains($0) && ContactField.consentByValue.contains(ContactField.normalizeHeader(header[$0]))
        }
        guard !candidates.isEmpty else { return nil }
        let reader = try CSVReader(path: path, encoding: encoding)
        _ = try reader.next()
        var filled = [Int](repeating: 0, count: candidates.count)
        var read = [Int](repeating: 0, count: candidates.count)
        var records = 0
        while records < sampleRecords, let record = try reader.next() {
            records += 1
            for (slot, index) in candidates.enumerated() where index < record.fields.count {
                let cell = record.fields[index].trimmedASCII
                if cell.isEmpty { continue }
                filled[slot] += 1
                if let state = ConsentState.read(cell, extra: nil), state != .unknown { read[slot] += 1 }
            }
        }
        for (slot, index) in candidates.enumerated() where filled[slot] > 0 {
            if Double(read[slot]) / Double(filled[slot]) >= threshold { return (index, header[index]) }
        }
        return nil
    }
}
