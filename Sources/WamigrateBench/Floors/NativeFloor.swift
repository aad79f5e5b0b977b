import Foundation
import WamigrateStore

/// What this machine does for each step of the data path with nothing but the step, measured
/// on the benchmark's own files in the same hour as the run: the limit each stage is judged
/// against (`bench` prints each stage's ratio to its floor).
///
/// - read: `CSVFloor` over both exports (bytes → records and fields).
/// - normalize: one `wm_phone_parse` per phone cell in `workers` processes (`NormalizeFloor`).
/// - sort: the kept rows' 8-byte keys sorted and grouped into distinct numbers.
/// - insert: the kept rows bulk-inserted into a fresh SQLite file (`InsertFloor`).
public struct NativeFloor: Codable, Sendable {
    public var rows = 0
    public var kept = 0
    public var distinct = 0
    public var readSeconds = 0.0
    public var normalizeSeconds = 0.0
    public var sortSeconds = 0.0
    public var insertSeconds = 0.0

    public var totalSeconds: Double { readSeconds + normalizeSeconds + sortSeconds + insertSeconds }

    /// The floor a stage is held to: extract reads, normalize calls the library, dedupe sorts
    /// and writes the contacts, import, its list files, outputs and the audit snapshot each
    /// write a row per contact or row at least once.
    public func floor(ofStage stage: String) -> Double? {
        switch stage {
        case "extract": readSeconds
        case "normalize": normalizeSeconds
        case "dedupe": sortSeconds + insertSeconds
        case "import", "import_files", "outputs", "audit": insertSeconds
        default: nil
        }
    }

    public static func measure(
        files: [String], directory: String, executable: String, region: String, workers: Int = 2
    ) throws -> NativeFloor {
        var floor = NativeFloor()
        var csv = CSVFloor()
        var start = Date()
        for file in files { try csv.read(file) }
        floor.readSeconds = Date().timeIntervalSince(start)
        floor.rows = csv.rows
        let cells = directory + "/floor-cells.tsv"
        try Data(csv.cells).write(to: URL(fileURLWithPath: cells))
        csv.cells = []

        start = Date()
        let outputs = (0..<workers).map { directory + "/floor-keys-\($0).bin" }
        let processes = try (0..<workers).map { part in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "bench-floor-worker", "--cells", cells, "--part", String(part), "--parts", String(workers), "--region", region,
                "--out", outputs[part],
            ]
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "a floor worker failed"])
            }
        }
        floor.normalizeSeconds = Date().timeIntervalSince(start)

        var rows: [(key: UInt64, line: UInt64)] = []
        for output in outputs {
            let data = try Data(contentsOf: URL(fileURLWithPath: output))
            data.withUnsafeBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for index in stride(from: 0, to: words.count - 1, by: 2) { rows.append((words[index], words[index + 1])) }
            }
        }
        floor.kept = rows.count
        // The insert goes in line order (rowid order, as a stage writes its rows), not in number order.
        let byLine = rows.sorted { $0.line < $1.line }
        start = Date()
        rows.sort { ($0.key, $0.line) < ($1.key, $1.line) }
        var distinct = 0
        var previous: UInt64?
        for row in rows where row.key != previous {
            distinct += 1
            previous = row.key
        }
        floor.sortSeconds = Date().timeIntervalSince(start)
        floor.distinct = distinct

        floor.insertSeconds = try InsertFloor.run(path: directory + "/floor.sqlite", rows: byLine)
        for file in [cells] + outputs { try? FileManager.default.removeItem(atPath: file) }
        return floor
    }
}
