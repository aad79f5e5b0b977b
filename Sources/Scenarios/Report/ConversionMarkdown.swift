/// The conversion report for people: a summary table, then every artifact
/// with what it became and each change or loss.
enum ConversionMarkdown {
    static func render(_ summary: ScenarioConversion.Summary) -> String {
        var lines = [
            "# Scenario conversion report", "",
            "| artifacts | templates (lint clean) | drafts (need review) | flows | lint warnings |",
            "|---|---|---|---|---|",
            "| \(summary.artifacts.count) | \(summary.templates) | \(summary.drafts) | \(summary.flows) | \(summary.lintWarnings) |",
            "",
        ]
        for artifact in summary.artifacts {
            let place = artifact.line.map { "\(artifact.file):\($0)" } ?? artifact.file
            lines.append("## \(artifact.artifact) (\(artifact.kind), \(artifact.status.rawValue))")
            lines.append("")
            lines.append("- source: `\(place)`")
            if !artifact.outputs.isEmpty {
                lines.append("- became: " + artifact.outputs.map { "`\($0)`" }.joined(separator: ", "))
            }
            if let category = artifact.category {
                lines.append("- category: **\(category)**, because \(artifact.categoryReason ?? "-")")
            }
            for note in artifact.changes { lines.append("- change (\(note.kind)): \(note.detail)") }
            for note in artifact.losses { lines.append("- **loss** (\(note.kind)): \(note.detail)") }
            for error in artifact.lintErrors { lines.append("- **lint error** \(error)") }
            for warning in artifact.lintWarnings { lines.append("- lint warning \(warning)") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
