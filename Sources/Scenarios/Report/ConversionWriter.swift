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
            try write(template, &report, lostContent: Self.lostContent(report))
            summary.artifacts.append(report)
        }

        mutating func add(flow: FlowGraph, templates: [TemplatePayload], report: ArtifactReport) throws {
            var report = report
            // Decided once per artifact: scanning every loss again for each template made a
            // flow cost templates × losses.
            let lost = Self.lostContent(report)
            for template in templates { try write(template, &report, lostContent: lost) }
            let file = Self.fileName(flow.name + ".json")
            try OutputFolder.write(try flow.encoded(), to: "\(out)/flows/\(file)")
            report.outputs.append("flows/\(file)")
            summary.flows += 1
            summary.artifacts.append(report)
        }

        /// templates/ when it lints clean of errors and nothing was lost that a
        /// person must restore; drafts/ otherwise.
        /// Whether the artifact lost something a person must restore (its templates are drafts then).
        static func lostContent(_ report: ArtifactReport) -> Bool {
            let blocking: Set = ["too_long", "language", "content_dropped"]
            return report.losses.contains { blocking.contains($0.kind) }
        }

        private mutating func write(_ template: TemplatePayload, _ report: inout ArtifactReport, lostContent: Bool) throws {
            let file = Self.fileName("\(template.name).\(template.language).json")
            let findings = TemplateLinter.lint(template, file: file)
            let errors = findings.filter { $0.severity == .error }
            report.lintErrors += errors.map { "\($0.rule.rawValue) \($0.message)" }
            report.lintWarnings += findings.filter { $0.severity == .warning }.map { "\($0.rule.rawValue) \($0.message)" }
            summary.lintWarnings += findings.count - errors.count
            let blocked = !errors.isEmpty || lostContent
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

        /// A file name made from an input's names: a `/`, a NUL or a leading dot cannot make it a
        /// path, and a name longer than a file system takes (255 bytes) is cut and given a hash of
        /// the whole, so two long names never share a file. The report lists the name used.
        static func fileName(_ wanted: String) -> String {
            var name = String(
                wanted.unicodeScalars.map { $0 == "/" || $0 == "\\" || $0.value < 0x20 ? "_" : Character($0) })
            if name.hasPrefix(".") { name = "_" + name.dropFirst() }
            guard name.utf8.count > 200 else { return name }
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the whole name
            for byte in wanted.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            var cut = ""
            for character in name {
                guard cut.utf8.count + String(character).utf8.count <= 170 else { break }
                cut.append(character)
            }
            return cut + "-" + String(hash, radix: 16) + ".json"
        }

        func finish() throws {
            try OutputFolder.write(try JSONText.encode(summary), to: "\(out)/report.json")
            try OutputFolder.write(Data(ConversionMarkdown.render(summary).utf8), to: "\(out)/report.md")
        }
    }
}
