import Foundation
import Testing
import WamigrateTestSupport

/// Bad input gets a clear error naming the file (and line), a documented exit
/// code, and leaves nothing a re-run trips over.
@Suite("End to end: bad input")
struct BadInputEndToEndTests {
    let good = "phone,name\n+4915123456789,Anna\n"

    func run(_ folder: TempFolder, _ files: [String]) throws -> Binary.Result {
        try Binary.run(
            ["run", "--store", folder.file("job.sqlite"), "--out", folder.file("out"), "--default-region", "DE"] + files)
    }

    @Test(arguments: [
        ("missing", "E_INPUT_MISSING"),
        ("empty", "E_INPUT_EMPTY"),
        ("binary", "E_INPUT_BINARY"),
        ("encoding", "E_INPUT_ENCODING"),
        ("nophone", "E_INPUT_NO_PHONE_COLUMN"),
        ("unclosed", "E_INPUT_CSV"),
    ])
    func refusesWithCodeFileAndExit65(_ kind: String, _ code: String) throws {
        let folder = TempFolder()
        let path: String
        switch kind {
        case "missing": path = folder.file("nope.csv")
        case "empty": path = folder.write("empty.csv", "")
        case "binary": path = folder.write("export.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00])
        case "encoding": path = folder.write("bad.csv", bytes: Array("phone\n".utf8) + [0x81, 0x9D, 0x0A])
        case "nophone": path = folder.write("orders.csv", "order_id,amount\n1,20\n")
        default: path = folder.write("unclosed.csv", "phone,name\n+4915123456789,\"Anna\n")
        }
        let result = try run(folder, [path])
        #expect(result.status == 65)
        #expect(result.stderr.contains(code))
        #expect(result.stderr.contains(URL(fileURLWithPath: path).lastPathComponent))
        #expect(result.stderr.contains("fix:"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func aFailedExtractLeavesTheEarlierResultsIntact() throws {
        let folder = TempFolder()
        let first = folder.write("a.csv", good)
        #expect(try run(folder, [first]).status == 0)
        let before = try Binary.run(["status", "--store", folder.file("job.sqlite"), "--json"]).stdout
        let broken = folder.write("b.csv", "phone,name\n+4915123456780,\"Ben\n")
        let failed = try run(folder, [first, broken])
        #expect(failed.status == 65)
        #expect(failed.stderr.contains("b.csv:2"))
        let after = try Binary.run(["status", "--store", folder.file("job.sqlite"), "--json"])
        #expect(after.status == 0)
        func books(_ text: String) -> [String: Int] {
            let json = try! JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            return (json["books"] as! [String: Any]).compactMapValues { $0 as? Int }
        }
        #expect(books(after.stdout) == books(before))
        // Fix the file and the same command finishes.
        folder.write("b.csv", "phone,name\n+4915123456780,Ben\n")
        #expect(try run(folder, [first, broken]).status == 0)
    }

    @Test func unknownRegionAndProfileAreUsageErrors() throws {
        let folder = TempFolder()
        let path = folder.write("a.csv", good)
        let region = try Binary.run(["run", "--store", folder.file("j.sqlite"), "--default-region", "XX", path])
        #expect(region.status == 64, "a flag value is a usage error")
        #expect(region.stderr.contains("--default-region 'XX' is not a region") && region.stderr.contains("Usage:"))
        let configured = try Binary.run([
            "run", "--store", folder.file("j.sqlite"), "--config", folder.write("job.yml", "default_region: XX\n"), path,
        ])
        #expect(configured.status == 65, "the same value from a config file is a config error")
        #expect(configured.stderr.contains("E_CONFIG"))
        let profile = try Binary.run(["run", "--store", folder.file("j.sqlite"), "--mapping", "nosuch", path])
        #expect(profile.status == 65)
        #expect(profile.stderr.contains("E_MAPPING"))
        #expect(profile.stderr.contains("twilio"), "the error lists the profiles that exist")
    }
}
