import Foundation

/// A contact on a wave's list, with the fields template parameters come from and its tally.
public struct WaveCandidate: Sendable {
    public var contactID: String
    public var e164: String?
    public var region: String?
    public var fields: [String: String]
    public var tally: ConsentTally
    /// The cohort the wave's previous plan put them in (nil: new to the wave, or excluded then).
    public var previousCohort: Int?

    /// The fields a template parameter can take, as `--param VAR=FIELD` names them.
    public static let fields = ["name", "email", "language", "region", "e164"]

    public init(contactID: String, e164: String? = nil, region: String? = nil, fields: [String: String], tally: ConsentTally) {
        self.contactID = contactID
        self.e164 = e164
        self.region = region
        self.fields = fields
        self.tally = tally
    }
}
