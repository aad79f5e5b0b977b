import Foundation
import GRDB

/// The file name of each extracted source, by source id: the `file` in every
/// `file:record` lineage reference the outputs print.
enum SourceFiles {
    static func load(_ db: Database) throws -> [Int64: String] {
        var files: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, path FROM sources") {
            files[row["id"]] = URL(fileURLWithPath: row["path"] as String).lastPathComponent
        }
        return files
    }
}
