import Foundation

/// Templates as submitted and as the platform's webhooks last reported them.
public protocol TemplateStore: AnyObject {
    func saveSubmission(_ submission: TemplateSubmission) throws
    func submissions(wabaID: String) throws -> [TemplateSubmission]
    /// Template creations sent to this WABA since `since` (the platform's hourly cap).
    func creationsSent(wabaID: String, since: Int64) throws -> Int
    func templateRecord(name: String, language: String) throws -> TemplateRecord?
    func saveBodyParameters(wabaID: String, name: String, language: String, _ parameters: [String]) throws
    /// A status, category or quality update; false when an older report would overwrite a newer one.
    @discardableResult
    func applyTemplateUpdate(
        templateID: String?, name: String?, language: String?, status: String?, category: String?, reason: String?,
        quality: String?, at time: Int64
    ) throws -> Bool
}
