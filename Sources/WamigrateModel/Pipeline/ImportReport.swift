/// What import did.
public struct ImportReport: Codable, Sendable {
    public var contacts = 0
    public var rejectedRows = 0
    /// Input rows whose number a person must confirm (the `review` list).
    public var reviewRows = 0
    public var lists: [String: Int] = [:]
    public var channels: [String: Int] = [:]
    public var files: [String] = []
    /// The consent sources the job counts for WhatsApp.
    public var whatsappConsentSources: [String] = []

    public init() {}
}
