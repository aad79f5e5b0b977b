import Foundation
import Testing
import WamigrateTestSupport

/// Help pages: an example each, only their own exit codes, no default said twice.
@Suite("End to end: help pages")
struct HelpPagesEndToEndTests {
    @Test(arguments: [
        (["run"], [64, 65, 66, 67, 69, 70, 74, 75, 3], [Int]()),
        (["verify"], [64, 65, 66, 67, 69, 74, 75], [70, 3]),
        (["report"], [64, 65, 66, 74, 3], [67, 69, 70]),
        (["wave", "send"], [64, 65, 66, 69, 74, 75], [67, 70, 3]),
        (["campaign", "send"], [64, 65, 66, 69, 74, 75], [67, 70, 3]),
        (["scenarios", "convert"], [64, 65, 74], [66, 67, 69, 70, 3]),
    ])
    func eachPageHasAnExampleAndOnlyItsExitCodes(command: [String], has: [Int], hasNot: [Int]) throws {
        let help = try Binary.run(command + ["--help"])
        #expect(help.status == 0)
        let text = help.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("Example"), "\(command)")
        let codes = try #require(text.range(of: "Exit codes:")).upperBound
        let listed = String(text[codes...])
        for code in has { #expect(listed.contains(" \(code) "), "\(command) lists \(code)") }
        for code in hasNot { #expect(!listed.contains(" \(code) "), "\(command) does not list \(code)") }
    }

    @Test(arguments: [["sandbox"], ["run"], ["verify"], ["wave", "send"], ["webhook", "serve"], ["campaign", "plan"]])
    func noDefaultIsPrintedTwice(command: [String]) throws {
        let help = try Binary.run(command + ["--help"])
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.range(of: #"\(default [^)]*\)[^()]{0,40}\(default: "#, options: .regularExpression) == nil, "\(text)")
    }
}
