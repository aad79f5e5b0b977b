import Foundation

/// What `templates submit` sent and what the endpoint answered, one row per
/// WABA, name and language. `sending` is written before the request, so a
/// crash leaves a trace the next run checks against the endpoint's list.
public struct TemplateSubmission: Codable, Sendable, Equatable {
    public var wabaID: String
    public var name: String
    public var language: String
    public var category: String
    public var payloadSHA256: String
    /// sending | created | exists | refused | deferred
    public var state: String
    public var templateID: String?
    public var status: String?
    public var answeredCategory: String?
    public var reason: String?
    public var sentAt: Int64

    public init(wabaID: String, name: String, language: String, category: String, payloadSHA256: String, sentAt: Int64) {
        self.wabaID = wabaID
        self.name = name
        self.language = language
        self.category = category
        self.payloadSHA256 = payloadSHA256
        self.state = "sending"
        self.sentAt = sentAt
    }
}

/// A template as a wave needs it: approved or not, its category now, its body's variables.
public struct TemplateRecord: Sendable {
    public var name: String
    public var language: String
    public var templateID: String?
    /// The endpoint's status (APPROVED, PENDING, REJECTED, PAUSED, DISABLED…), as last answered or reported.
    public var status: String?
    /// The category it has now: the endpoint's answer or a completed re-categorization, else the submitted one.
    public var category: String
    /// The body's variables in order (`["1","2"]` or `["first_name"]`); nil for a record made before they were kept.
    public var bodyParameters: [String]?
    /// GREEN, YELLOW, RED or UNKNOWN, as the last `message_template_quality_update` said; nil before one.
    public var quality: String? = nil

    public init(
        name: String, language: String, templateID: String? = nil, status: String? = nil, category: String,
        bodyParameters: [String]? = nil, quality: String? = nil
    ) {
        self.name = name
        self.language = language
        self.templateID = templateID
        self.status = status
        self.category = category
        self.bodyParameters = bodyParameters
        self.quality = quality
    }
}
