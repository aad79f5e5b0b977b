import Foundation

extension JSONDecoder {
    /// Reads what the binary prints under `--json` (snake_case keys).
    static var output: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

/// The parts of `run --json` the benchmark reads (its property names round-trip through snake_case).
struct ChildSummary: Decodable {
    struct Normalize: Decodable {
        var libraryCalls: Int
        var cacheHits: Int
        var ambiguous: [String: Int]?
    }
    struct Dedupe: Decodable { var contacts: Int }
    struct BookTotals: Decodable {
        var rejected: Int
        var balanced: Bool
    }
    struct Extract: Decodable {
        struct Source: Decodable {
            var name: String
            var profile: String
        }
        var sources: [Source]
    }

    var stageSeconds: [String: Double]
    var normalize: Normalize?
    var dedupe: Dedupe?
    var books: BookTotals
    var extract: Extract?
}
