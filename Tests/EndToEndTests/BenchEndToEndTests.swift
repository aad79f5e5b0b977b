import Foundation
import Testing
import WamigrateTestSupport

/// `wamigrate bench` measures the run against floors of its own on the same files, and
/// against the plain Python script people write.
@Suite("End to end: bench, its native floors and the plain script")
struct BenchEndToEndTests {
    @Test func benchPrintsEachStagesRatioToItsFloorAndThePlainScriptsTime() throws {
        let python = PywaInteropEndToEndTests.python
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "no Python at \(python): run ./scripts/install-deps.sh --test (or set WAMIGRATE_INTEROP_PYTHON)")
        let folder = TempFolder()
        let script = Binary.packageRoot + "/Tests/Benchmarks/plain_pipeline.py"
        let common = ["--mappings", "explicit", "--no-verify", "--python", python, "--python-script", script]
        let json = try Binary.run(["bench", "--rows", "3000", "--dir", folder.file("json"), "--json"] + common)
        #expect(json.status == 0, "\(json.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let floor = try #require(figures["floor"] as? [String: Any], "\(figures.keys)")
        // The floor's tokeniser finds every generated row (quoted fields, CR LF, a BOM) and
        // keeps the numbers one library call finds valid.
        #expect(floor["rows"] as? Int == 3_000, "\(floor)")
        let kept = try #require(floor["kept"] as? Int)
        let distinct = try #require(floor["distinct"] as? Int)
        #expect(kept > 2_000 && kept <= 3_000 && distinct > 1_000 && distinct <= kept, "\(floor)")
        for step in ["read_seconds", "normalize_seconds", "sort_seconds", "insert_seconds"] {
            #expect((floor[step] as? Double ?? 0) > 0, "\(step): \(floor)")
        }
        let plain = try #require(figures["python"] as? [String: Any], "\(figures.keys)")
        #expect((plain["contacts"] as? Int ?? 0) > 1_000 && (plain["seconds"] as? Double ?? 0) > 0, "\(plain)")
        #expect(plain["phonenumbers"] as? String == "9.0.43", "the pinned metadata version: \(plain)")

        let text = try Binary.run(["bench", "--rows", "1000", "--dir", folder.file("text")] + common)
        #expect(text.status == 0, "\(text.stderr)")
        for line in [
            "native floor:", "vs floor (explicit): whole run", "extract", "dedupe", "plain Python:", "vs Python (explicit):",
        ] {
            #expect(text.stdout.contains(line), "\(line) in \(text.stdout)")
        }
    }
}
