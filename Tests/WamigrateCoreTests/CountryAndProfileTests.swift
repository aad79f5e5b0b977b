import Foundation
import Phone
import Testing
import WamigrateStore
import WamigrateTestSupport

@testable import WamigrateCore

/// Country cells as exports write them: names in many languages and scripts, codes,
/// abbreviations and old names. Before the generated CLDR table, `Turkey`, `KSA` and
/// `مصر` fell back to the default region and a Turkish mobile became a German number.
@Suite("Country names and export shapes")
struct CountryAndProfileTests {
    static let catalog = MappingCatalog(directory: Binary.packageRoot + "/mappings")
    let countries = CountryAliases.resolver(catalog: catalog)

    @Test(arguments: [
        ("Turkey", "TR"), ("Türkiye", "TR"), ("TÜRKİYE", "TR"), ("turkiye", "TR"), ("Türkei", "TR"), ("TUR", "TR"),
        ("KSA", "SA"), ("Saudi Arabia", "SA"), ("المملكة العربية السعودية", "SA"), ("مصر", "EG"), ("Ägypten", "EG"),
        ("EGY", "EG"), ("Германия", "DE"), ("ألمانيا", "DE"), ("ドイツ", "DE"), ("Allemagne", "DE"), ("DEU", "DE"),
        ("UAE", "AE"), ("UK", "GB"), ("USA", "US"), ("Vereinigtes Königreich", "GB"), ("Україна", "UA"),
        ("Côte d’Ivoire", "CI"), ("cote d'ivoire", "CI"), ("IDN", "ID"), ("Estados Unidos", "US"),
        // a calling code in a "country code" column
        ("49", "DE"), ("+49", "DE"), ("0049", "DE"), ("(+90)", "TR"), ("+1", "US"), ("380", "UA"),
    ])
    func namesInAnyLanguage(_ cell: String, _ region: String) {
        #expect(countries.region(for: cell) == region)
    }

    @Test func unknownCallingCodesAreNotGuessed() {
        #expect(countries.region(for: "999") == nil)
        #expect(countries.region(for: "+0") == nil)
    }

    @Test func unknownCountryIsFlaggedNotReplacedSilently() {
        let choice = NormalizeStage.region(country: "Atlantis", sourceRegion: nil, defaultRegion: "DE", countries: countries)
        #expect(choice.unknownCountry == "Atlantis")
        #expect(choice.hint == RegionHint("DE", .guess))
    }

    @Test("a Turkish mobile in a row whose country is 'Turkey' stays Turkish")
    func turkishMobile() {
        let choice = NormalizeStage.region(country: "Turkey", sourceRegion: nil, defaultRegion: "DE", countries: countries)
        let phone = PhoneNormalizer().normalize("0531 332 2249", region: choice.hint, format: .mixed)
        #expect(phone.e164 == "+905313322249")
    }

    /// A normalize worker joins the coordinator's plan only when its fingerprint is the
    /// coordinator's: a mappings folder whose aliases read a country cell otherwise must not give
    /// the same one (its rows would be normalized differently), the same aliases must.
    @Test func theCountryAliasesAreInNormalizesFingerprint() {
        func fingerprint(_ aliases: [String: String]) -> String {
            NormalizeStage(
                defaultRegion: "DE", countries: CountryResolver(aliases: aliases), workers: 1, logger: .init(label: "t")
            )
            .fingerprint(upstream: "extract")
        }
        #expect(CountryResolver(aliases: ["Türkiye": "tr"]).region(for: "Turkiye") == "TR")
        #expect(fingerprint(["Türkiye": "TR"]) == fingerprint(["turkiye": "tr"]))
        #expect(fingerprint(["Türkiye": "TR"]) != fingerprint([:]))
        #expect(fingerprint(["Türkiye": "TR"]) != fingerprint(["Türkiye": "CY"]))
        #expect(countries.aliasLines.isEmpty == false, "the checkout's mappings/countries.yml has aliases")
    }

    @Test("the generated table folds names the way the resolver does")
    func tableKeysAreFolded() {
        for (name, _) in CountryResolver.names.prefix(5000) {
            #expect(CountryResolver.key(name) == name)
        }
        #expect(CountryResolver.names.count > 20_000)
    }

    @Test(arguments: [
        (["viber_user_id", "phone", "name", "subscribed_at", "language", "country", "status"], "viber"),
        (["From", "To", "Body", "Status", "SentDate", "ApiVersion", "AccountSid", "Direction"], "twilio"),
        (["message_uuid", "message_time", "message_direction", "from_number", "to_number"], "plivo"),
        (["account_id", "client_ref", "country", "direction", "from", "to", "status"], "vonage"),
        (["id", "msisdn", "firstName", "lastName", "groups", "createdDatetime"], "messagebird"),
        (["Mobile", "First Name", "Last Name", "Email", "Country", "Opt-In"], "auto"),
    ])
    func exportShapesPickTheirProfile(_ header: [String], _ profile: String) throws {
        let choice = try ProfileDetector(catalog: Self.catalog).choose(mapping: nil, header: header)
        #expect(choice.profile.name == profile)
        #expect(choice.reason.hasPrefix(profile == "auto" ? "no known export shape" : "detected: the header has"))
    }

    @Test func aNamedProfileIsNotOverridden() throws {
        let choice = try ProfileDetector(catalog: Self.catalog).choose(mapping: "generic", header: ["viber_user_id", "phone"])
        #expect(choice.profile.name == "generic" && choice.reason == "named")
    }

    @Test func viberAndMessageBirdWriteInternationalDigits() throws {
        #expect(try Self.catalog.profile("viber").phoneFormat == .international)
        #expect(try Self.catalog.profile("messagebird").phoneFormat == .international)
        #expect(try Self.catalog.profile("generic").phoneFormat == nil)
    }

    @Test(arguments: [
        ("unsubscribed", ConsentState?.some(.optedOut)), ("STOP", .optedOut), ("opt_out", .optedOut),
        ("Abgemeldet", .optedOut), ("subscribed", .optedIn), ("opt-in", .optedIn), ("pending", .unknown),
        ("", .unknown), ("maybe later", nil), ("delivered", nil),
    ])
    func consentWords(_ cell: String, _ state: ConsentState?) {
        #expect(ConsentState.read(cell, extra: nil) == state)
    }

    @Test(arguments: [
        ("yes", ConsentState?.some(.optedOut)), ("1", .optedOut), ("x", .optedOut), ("no", .unknown), ("", .unknown),
        ("STOP", .optedOut), ("subscribed", .unknown), ("sometimes", nil),
    ])
    func optOutColumns(_ cell: String, _ state: ConsentState?) {
        #expect(ConsentState.readOptOut(cell, extra: nil) == state)
    }
}
