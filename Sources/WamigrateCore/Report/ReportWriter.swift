import Foundation
import WamigrateBase
import WamigrateModel

/// Writes report.json, report.md and report.html into one folder. The documents people
/// open keep no control characters or bidi overrides from cells (an ESC or BEL sequence
/// in a name would drive the terminal that `cat`s report.md); JSON escapes them itself.
public enum ReportWriter {
    public static func write(_ report: AuditReport, to directory: String) throws -> [String] {
        let folder = try OutputFolder.prepare(directory)
        let files = [
            ("report.json", try JSONEncoder.output.encode(report)),
            ("report.md", Data(Terminal.printable(ReportMarkdown.render(report)).utf8)),
            ("report.html", Data(Terminal.printable(ReportHTML.render(report)).utf8)),
        ]
        var written: [String] = []
        for (name, data) in files {
            let path = folder + "/" + name
            try OutputFolder.write(data, to: path)
            written.append(path)
        }
        return written
    }
}
