import Foundation
import TemplateRules
import WamigrateBase

/// `scenarios convert`: every legacy artifact under the inputs → templates/,
/// flows/, drafts/ (templates a person must fix) and report.md / report.json.
/// Every template written to templates/ lints clean of errors.
public enum ScenarioConversion {
    public struct Options: Sendable {
        public var inputs: [String]
        public var out: String
        /// `{{first_name}}` instead of `{{1}}`.
        public var named = false
        /// For flows and rows that name no language.
        public var defaultLanguage = "en"

        public init(inputs: [String], out: String) {
            self.inputs = inputs
            self.out = out
        }
    }

    public struct Summary: Codable, Sendable {
        public var artifacts: [ArtifactReport]
        public var templates = 0
        public var drafts = 0
        public var flows = 0
        public var lintWarnings = 0
    }

    public static func run(_ options: Options) throws -> Summary {
        let files = try inputFiles(options.inputs)
        let out = try OutputFolder.prepare(options.out)
        for folder in ["templates", "flows", "drafts"] { try OutputFolder.prepare("\(out)/\(folder)") }
        var writer = Writer(out: out)
        var names = TemplateNames()
        let smsConverter = SMSTemplateConverter(named: options.named)
        for file in files {
            switch (file as NSString).pathExtension.lowercased() {
            case "csv":
                let csv = try ScenarioCSV.read(file)
                if KeywordReplyFile.isKeywordFile(header: csv.header) {
                    let replies = try KeywordReplyFile.read(csv)
                    for (flow, report) in KeywordFlowConverter().convert(replies, name: baseName(file), file: file) {
                        try writer.add(flow: flow, templates: [], report: report)
                    }
                } else if SMSTemplateFile.isTemplateFile(header: csv.header) {
                    for sms in try SMSTemplateFile.read(csv) {
                        let code = LanguageCodes.map(sms.language).code(or: sms.language)
                        let (payload, report) = smsConverter.convert(sms, name: names.claim(sms.id, language: code))
                        try writer.add(template: payload, report: report)
                    }
                } else {
                    throw WamigrateError(
                        .inputCSV, "not a scenario CSV: columns \(csv.header.joined(separator: ", "))",
                        hint: "SMS templates need a name (id, name or template), text (text, body or message) and "
                            + "language column; keyword replies need keywords,reply",
                        at: .init(file: file, line: 1, column: 1))
                }
            case "json":
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                let content = try ViberFlowFile.read(file, data: data)
                var name = baseName(file)
                if case .flow(let flow) = content, let given = flow.name { name = TemplateNames.sanitized(given) }
                let result = ViberFlowConverter().convert(
                    content, name: name, file: file, defaultLanguage: options.defaultLanguage)
                try writer.add(flow: result.flow, templates: result.templates, report: result.report)
            default:
                var report = ArtifactReport(artifact: (file as NSString).lastPathComponent, kind: "other", file: file)
                report.status = .skipped
                report.change("skipped", "not a scenario input (.csv or .json); left alone")
                writer.summary.artifacts.append(report)
            }
        }
        try writer.finish()
        return writer.summary
    }

    static func baseName(_ file: String) -> String {
        var name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        for suffix in [".viber", ".flow"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
        return TemplateNames.sanitized(name)
    }

    /// Files named on the command line, and the files in named folders (sorted).
    static func inputFiles(_ inputs: [String]) throws -> [String] {
        var files: [String] = []
        for input in inputs {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else {
                throw WamigrateError(.inputMissing, "no such file or folder", hint: "check the path", at: .init(file: input))
            }
            if isFolder.boolValue {
                let folder = OutputFolder.trimmed(input)
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                files += names.filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
            } else {
                files.append(input)
            }
        }
        return files
    }
}
