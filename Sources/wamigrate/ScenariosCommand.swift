import ArgumentParser
import Foundation
import Scenarios
import TemplateRules
import WamigrateBase
import WamigrateCore
import WamigrateStore

struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "Convert legacy SMS templates, keyword replies and Viber flows; lint templates; simulate flows.",
        subcommands: [Convert.self, Lint.self, Simulate.self])

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Every legacy artifact → template payloads, interactive flows and a conversion report.",
            discussion: """
                Example: wamigrate scenarios convert samples/scenarios/ --out out/scenarios/ --store job.sqlite

                \(ExitCodes.files)
                """)

        @Argument(help: "Scenario files or folders: SMS template CSV, keyword reply CSV, Viber flow JSON.")
        var inputs: [String]

        @Option(name: [.short, .long], help: "Output folder: templates/, flows/, drafts/, report.md, report.json.")
        var out: String

        @Flag(help: "Write {{first_name}} parameters (parameter_format named) instead of {{1}}.")
        var named = false

        @Option(help: "Language of flows and rows that name none.")
        var defaultLanguage = "en"

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Option(help: "Also record what each artifact became in this job store, for `wamigrate report`.")
        var store: String?

        func run() throws {
            try runReportingErrors {
                // Refused before anything is converted: the artifacts' table is SQLite's only.
                if let store, StoreEngineName.of(store) == .postgres { throw StoreEngineName.sqliteOnly }
                var options = ScenarioConversion.Options(inputs: inputs, out: out)
                options.named = named
                options.defaultLanguage = defaultLanguage
                let summary = try ScenarioConversion.run(options)
                if let store { try JobStore(path: store).recordScenarioConversion(summary.records) }
                if json { return try printJSON(summary) }
                let converted = summary.artifacts.filter { $0.status == .converted }.count
                print(
                    "artifacts: \(summary.artifacts.count) (converted \(converted), needs review \(summary.artifacts.count - converted - summary.artifacts.filter { $0.status == .skipped }.count), skipped \(summary.artifacts.filter { $0.status == .skipped }.count))"
                )
                print(
                    "templates: \(summary.templates) lint clean, \(summary.drafts) drafts to review; flows: \(summary.flows); lint warnings: \(summary.lintWarnings)"
                )
                print("report: \(OutputFolder.trimmed(out))/report.md")
            }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check template payloads against Meta's rules, offline.",
            discussion: "Exit codes: 0 no errors (warnings allowed); 1 at least one error; 64 usage error.")

        @Argument(help: "Template JSON files or folders.")
        var files: [String]

        @Flag(help: "Print findings as JSON.")
        var json = false

        func run() throws {
            let (count, findings) = TemplateLinter.lint(files: files)
            let errors = findings.filter { $0.severity == .error }.count
            if json {
                struct Output: Encodable {
                    var templates: Int
                    var errors: Int
                    var warnings: Int
                    var findings: [LintFinding]
                }
                try printJSON(Output(templates: count, errors: errors, warnings: findings.count - errors, findings: findings))
            } else {
                for finding in findings {
                    print(
                        Terminal.visible(
                            "\(finding.location): \(finding.severity.rawValue) \(finding.rule.rawValue): \(finding.message)"))
                    print("  fix: \(Terminal.visible(finding.hint))")
                }
                print("\(count) templates: \(errors) errors, \(findings.count - errors) warnings")
            }
            if errors > 0 { throw ExitCode(1) }
        }
    }

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Run a converted flow against a script of user inputs and check the replies.",
            discussion: "Exit codes: 0 every expectation met; 1 a mismatch; 65 bad flow or script; 64 usage error.")

        @Argument(help: "A flow file from the flows/ folder.")
        var flow: String

        @Option(help: "The script (YAML): steps of text/button/list/wait_hours, each with an optional expect.")
        var script: String

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() throws {
            var passed = true
            try runReportingErrors {
                let graph = try FlowSimulator.load(flow)
                let steps = try SimulationScript.load(script)
                var simulator = FlowSimulator(flow: graph)
                let result = simulator.run(steps)
                passed = result.passed
                if json { return try printJSON(result) }
                print("flow \(result.flow): path \(result.path.joined(separator: " → "))")
                for step in result.steps {
                    let mark = step.mismatches.isEmpty ? "ok  " : "FAIL"
                    print("\(mark) step \(step.step): \(step.input) → \(step.state ?? "(no reply)")")
                    for mismatch in step.mismatches { print("     \(mismatch)") }
                }
                print(result.passed ? "passed: \(result.steps.count) steps" : "failed: \(result.mismatches) mismatches")
            }
            if !passed { throw ExitCode(1) }
        }
    }
}
