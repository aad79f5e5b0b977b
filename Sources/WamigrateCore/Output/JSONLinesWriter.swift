import Foundation

/// Writes one JSON object per line (keys sorted, nulls kept) through an
/// `AtomicFile`, like CSVWriter.
final class JSONLinesWriter {
    private let file: AtomicFile

    init(path: String) throws {
        file = try AtomicFile(path: path)
    }

    func write(_ object: [String: String?]) throws {
        let plain = object.mapValues { $0.map { $0 as Any } ?? NSNull() }
        file.append(
            contentsOf: try JSONSerialization.data(withJSONObject: plain, options: [.sortedKeys, .withoutEscapingSlashes]))
        file.append(10)
        file.endRecord()
    }

    func finish() throws { try file.finish() }
}
