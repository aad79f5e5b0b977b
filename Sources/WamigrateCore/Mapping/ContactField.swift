/// The fields extract can map from an export's columns.
public enum ContactField: String, CaseIterable, Codable, Sendable {
    case phone, name
    case firstName = "first_name"
    case lastName = "last_name"
    case email, country, consent
    /// A yes/no column that says the person opted out (`opt_out`, `unsubscribed`, `dnc`).
    case optOut = "opt_out"
    case consentAt = "consent_at"
    case seenAt = "seen_at"
    case viberID = "viber_id"
    case tags, language

    /// Header names auto-detection recognizes, compared after lowercasing and
    /// dropping everything but letters and digits.
    var synonyms: [String] {
        switch self {
        case .phone:
            [
                "phone", "phonenumber", "msisdn", "mobile", "mobilenumber", "mobilephone", "cell", "cellphone",
                "number", "tel", "telephone", "to", "tonumber", "recipient", "telefon", "handy", "handynummer",
                "telefono", "celular", "whatsapp", "contactnumber", "phoneno",
            ]
        case .name: ["name", "fullname", "contactname", "customername", "displayname", "customer"]
        case .firstName: ["firstname", "first", "givenname", "vorname", "prenom"]
        case .lastName: ["lastname", "last", "surname", "familyname", "nachname", "nom"]
        case .email: ["email", "emailaddress", "mail", "emailadresse"]
        case .country: ["country", "countrycode", "countryiso", "land", "pais", "countryname", "nation"]
        case .consent:
            [
                "optedin", "optin", "consent", "subscribed", "subscriptionstatus", "marketingconsent", "smsconsent",
                "optinstatus", "subscription", "einwilligung", "newsletter",
            ]
        case .optOut:
            [
                "optout", "optedout", "unsubscribed", "unsubscribe", "donotcontact", "dnc", "donotsms", "donotmessage",
                "blocked", "blacklisted", "blocklisted", "stop", "abgemeldet", "widerruf",
            ]
        case .consentAt:
            [
                "optindate", "optedinat", "consentdate", "consentat", "subscribedat", "subscriptiondate", "optinat",
                "consenttimestamp", "optindatum", "einwilligungsdatum",
            ]
        case .seenAt:
            [
                "updatedat", "lastseen", "lastactivity", "lastmessageat", "createdat", "created", "date", "sentdate",
                "modified", "updated", "createddatetime", "updateddatetime",
            ]
        case .viberID: ["viberuserid", "viberid", "viberuid", "viberuser"]
        case .tags: ["tags", "groups", "labels", "segment", "segments", "group"]
        case .language: ["language", "lang", "locale"]
        }
    }

    /// Headers that hold consent only in some exports (`status` is a subscription
    /// state in a Viber export and a delivery state in a Twilio log): auto mode maps
    /// such a column to consent when its values read as consent words.
    static let consentByValue: [String] = ["status", "state", "subscriberstatus", "contactstatus", "optinstate"]

    static func normalizeHeader(_ header: String) -> String {
        String(header.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }
}
