import Foundation
import TemplateRules

/// How many parameters a template's body and text header take, and whether a send fills
/// exactly that many: otherwise the Cloud API answers 132000 "Number of parameters does
/// not match the expected number of params" (contracts §2.5).
enum TemplateArity {
    /// Distinct `{{…}}` in the body and in a TEXT header (nil for a media or location header,
    /// whose one parameter is not counted here). An AUTHENTICATION body is Meta's preset
    /// "{{1}} is your verification code": one parameter, the code.
    static func expected(_ payload: TemplatePayload) -> (body: Int, header: Int?) {
        let bodyText = payload.component("BODY")?.text
        var body = bodyText.map { PlaceholderScan($0).distinct.count } ?? 0
        if bodyText == nil && payload.category.uppercased() == "AUTHENTICATION" { body = 1 }
        guard let component = payload.component("HEADER") else { return (body, 0) }
        guard (component.format ?? "TEXT").uppercased() == "TEXT" else { return (body, nil) }
        return (body, component.text.map { PlaceholderScan($0).distinct.count } ?? 0)
    }

    /// nil when the send's `template.components` fill the template's parameters; else the
    /// `error_data.details` of the 132000 answer.
    static func mismatch(_ entry: TemplateBook.Entry, components: [[String: Any]]) -> String? {
        for (type, count) in [("body", entry.bodyParameters), ("header", entry.headerParameters)] {
            guard let expected = count else { continue }
            let given = components.filter { ($0["type"] as? String)?.lowercased() == type }
                .reduce(0) { $0 + (($1["parameters"] as? [Any])?.count ?? 0) }
            if given != expected {
                return
                    "\(type): number of localizable_params (\(given)) does not match the expected number of params (\(expected))"
            }
        }
        return nil
    }
}
