import Foundation
import TemplateRules
import WamigrateBase

extension ScenarioConversion {
    /// Lints what the converters made, writes it where it belongs, and keeps the report.
    struct Writer {
        var out: String
        var summary = Summary(artifacts: [])

        init(out: String) { self.out = out }

        mutating func add(template: TemplatePayload, report: ArtifactReport) throws {
            var report = report
            try write(template, &report)
            summary.artifacts.append(report)
        }

        mutating func add(flow: FlowGraph, templates: [TemplatePayload], report: ArtifactReport) throws {
            var report = report
            for template in templates { try write(template, &report) }
            let path = "\(out)/flows/\(flow.name).json"
            try OutputFolder.write(try flow.encoded(), to: path)
            report.outputs.append("flows/\(flow.name).json")
            summary.flows += 1
            summary.artifacts.append(report)
        }

        /// templates/ when it lints clean of errors and nothing was lost that a
        /// person must restore; drafts/ otherwise.
        private mutating func write(_ template: TemplatePayload, _ report: inout ArtifactReport) throws {
            let file = "\(template.name).\(template.language).json"
            let findings = TemplateLinter.lint(template, file: file)
            let errors = findings.filter { $0.severity == .error }
            report.lintErrors += errors.map { "\($0.rule.rawValue) \($0.message)" }
            report.lintWarnings += findings.filter { $0.severity == .warning }.map { "\($0.rule.rawValue) \($0.message)" }
            summary.lintWarnings += findings.count - errors.count
            let blocking = ["too_long", "language", "content_dropped"]
            let blocked = !errors.isEmpty || report.losses.contains { blocking.contains($0.kind) }
            let folder = blocked ? "drafts" : "templates"
            try OutputFolder.write(try template.encoded(), to: "\(out)/\(folder)/\(file)")
            report.outputs.append("\(folder)/\(file)")
            if blocked {
                report.status = .needsReview
                summary.drafts += 1
            } else {
                summary.templates += 1
            }
        }

        func finish() throws {
            try OutputFolder.write(try JSONText.encode(summary), to: "\(out)/report.json")
            try OutputFolder.write(Data(ConversionMarkdown.render(summary).utf8), to: "\(out)/report.md")
        }
    }
}
