import Foundation
import GRDB

extension Lineage {
    /// The job's sources as this store holds them.
    init(_ db: Database) throws {
        var paths: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, path FROM sources") { paths[row["id"]] = row["path"] }
        self.init(paths: paths)
    }
}
