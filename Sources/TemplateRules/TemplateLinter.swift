import Foundation

/// Applies Meta's template rules offline. `lint` never throws: an unreadable
/// file is a T000 finding like any other.
public struct TemplateLinter {
    let template: TemplatePayload
    let file: String?
    var findings: [LintFinding] = []

    init(template: TemplatePayload, file: String?) {
        self.template = template
        self.file = file
    }

    /// The findings for one template.
    public static func lint(_ template: TemplatePayload, file: String? = nil) -> [LintFinding] {
        var linter = TemplateLinter(template: template, file: file)
        linter.checkIdentity()
        linter.checkComponents()
        linter.checkButtons()
        linter.checkVariables()
        linter.checkExamples()
        linter.checkCategory()
        return linter.findings
    }

    /// The findings for a set of templates, plus rules across them (duplicates).
    public static func lint(_ templates: [(TemplatePayload, file: String?)]) -> [LintFinding] {
        var findings: [LintFinding] = []
        var seen: [String: String] = [:]
        for (template, file) in templates {
            findings += lint(template, file: file)
            let key = "\(template.name)/\(template.language)"
            if let first = seen[key] {
                var linter = TemplateLinter(template: template, file: file)
                linter.report(.duplicateTemplate, "\(key) is also defined in \(first)")
                findings += linter.findings
            } else {
                seen[key] = file ?? "-"
            }
        }
        return findings
    }

    /// Decodes a file that holds one payload or an array of payloads.
    public static func decode(_ data: Data, file: String) -> Result<[TemplatePayload], LintFinding> {
        let decoder = JSONDecoder()
        do {
            if let one = try? decoder.decode(TemplatePayload.self, from: data) { return .success([one]) }
            if let many = try? decoder.decode([TemplatePayload].self, from: data) { return .success(many) }
            _ = try decoder.decode(TemplatePayload.self, from: data)
            return .success([])
        } catch {
            return .failure(
                LintFinding(
                    rule: .json, severity: .error, file: file, template: "?", language: "?", component: nil,
                    button: nil, message: JSONText.describe(error), hint: LintRule.json.hint))
        }
    }

    mutating func report(_ rule: LintRule, _ message: String, component: String? = nil, button: Int? = nil) {
        findings.append(
            LintFinding(
                rule: rule, severity: rule.severity, file: file, template: template.name, language: template.language,
                component: component, button: button, message: message, hint: rule.hint))
    }

    var category: String { template.category.uppercased() }
    var isAuthentication: Bool { category == "AUTHENTICATION" }

    /// Every component's text, for content rules.
    var allText: String {
        var parts = template.components.compactMap(\.text)
        for button in template.component("BUTTONS")?.buttons ?? [] { parts += [button.text, button.url].compactMap { $0 } }
        return parts.joined(separator: "\n")
    }
}
