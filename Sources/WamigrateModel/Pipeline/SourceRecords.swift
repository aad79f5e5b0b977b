import Foundation

/// One input row as normalize reads it.
public struct PhoneCell: Codable, Sendable {
    public var id: Int64
    public var sourceID: Int64
    public var phone: String
    public var country: String?
    public var viberID: String?

    public init(id: Int64, sourceID: Int64, phone: String, country: String? = nil, viberID: String? = nil) {
        self.id = id
        self.sourceID = sourceID
        self.phone = phone
        self.country = country
        self.viberID = viberID
    }
}

/// A source as normalize needs it: its default region, its profile (JSON) and the
/// precision its phone column's scientific cells show (`ScientificNotation`).
public struct SourceSettings: Codable, Sendable {
    public var id: Int64
    public var defaultRegion: String?
    public var profileJSON: String
    public var phoneSciDigits: Int

    public init(id: Int64, defaultRegion: String? = nil, profileJSON: String, phoneSciDigits: Int) {
        self.id = id
        self.defaultRegion = defaultRegion
        self.profileJSON = profileJSON
        self.phoneSciDigits = phoneSciDigits
    }
}

/// An input row's phone cell and what normalize stored for it (the reference check's input).
public struct NormalizedCell: Codable, Sendable {
    public var phone: String
    public var country: String?
    public var sourceID: Int64
    public var e164: String?
    public var numberType: String?

    public init(phone: String, country: String?, sourceID: Int64, e164: String?, numberType: String?) {
        self.phone = phone
        self.country = country
        self.sourceID = sourceID
        self.e164 = e164
        self.numberType = numberType
    }
}
