import Foundation
import Testing
import WamigrateBase
import WamigrateTestSupport

/// YAML nested thousands of levels deep (a 10 KB file) is refused with its file and line,
/// exit 65, by every reader: it used to crash the process with SIGSEGV in the parser.
@Suite("End to end: deeply nested YAML")
struct DeepYAMLEndToEndTests {
    static let flow = "default_region: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n"
    static let block = (0..<3_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
    static let dashes = String(repeating: "- ", count: 5_000) + "x\n"

    @Test(arguments: ["flow", "block", "dashes"])
    func everyReaderRefusesIt(_ shape: String) throws {
        let text = ["flow": Self.flow, "block": Self.block, "dashes": Self.dashes][shape]!
        let folder = TempFolder()
        let deep = folder.write("deep.yml", text)
        let export = folder.write("in.csv", "phone,consent\n+4915123456789,yes\n")
        let runs: [[String]] = [
            ["run", "--store", folder.file("a.sqlite"), "--default-region", "DE", "--config", deep, export],
            ["run", "--store", folder.file("b.sqlite"), "--default-region", "DE", "--mapping", deep, export],
        ]
        for arguments in runs {
            let result = try Binary.run(arguments)
            #expect(result.status == 65, "\(arguments[0...1]): \(result.status) \(result.stderr.prefix(300))")
            #expect(result.stderr.contains("deep.yml"), "\(result.stderr.prefix(300))")
        }
    }

    @Test("the check is linear and lets ordinary files through; every YAML reader decodes through it")
    func ordinaryNestingStillReads() throws {
        try BoundedYAML.check("a:\n  b:\n    - c: [1, {d: 2}]\n    - 'x [ not a bracket'\n")
        #expect(throws: BoundedYAML.TooDeep.self) { try BoundedYAML.check(Self.flow) }
        #expect(throws: BoundedYAML.TooDeep.self) { try BoundedYAML.check(Self.dashes) }
        #expect(throws: BoundedYAML.TooDeep.self) { try BoundedYAML.check(Self.block) }
    }
}
