import Foundation

/// `file:record`, the one way every output, report, trace and merge names an input
/// row: the extracted file's name (its last path component) and the 1-based data
/// record. `trace file:record` reads the same form back.
public struct Lineage {
    private let files: [Int64: String]

    /// From each source's id and path as extracted.
    public init(paths: [Int64: String]) {
        files = paths.mapValues { URL(fileURLWithPath: $0).lastPathComponent }
    }

    /// The extracted file's name, `?` for an unknown source.
    public func file(_ sourceID: Int64) -> String { files[sourceID] ?? "?" }

    /// Every extracted file by source id.
    public var fileNames: [Int64: String] { files }

    public func reference(_ sourceID: Int64, _ record: Int64) -> String { "\(file(sourceID)):\(record)" }

    /// nil when the row is unknown (a field no row supplied).
    public func reference(_ sourceID: Int64?, _ record: Int64?) -> String? {
        guard let sourceID, let record else { return nil }
        return reference(sourceID, record)
    }
}
