import Testing
import WamigrateBase
import WamigrateStore

@testable import WamigrateCore

@Suite("Dates, consent words, countries, headers")
struct FieldParsingTests {
    @Test(arguments: [
        ("2024-03-12", "2024-03-12T00:00:00Z"),
        ("2024-03-12T10:15:30Z", "2024-03-12T10:15:30Z"),
        ("2024-03-12T10:15:30.123+02:00", "2024-03-12T08:15:30Z"),
        ("2024-03-12 10:15:30", "2024-03-12T10:15:30Z"),
        ("12.03.2024", "2024-03-12T00:00:00Z"),
        ("12.03.2024 10:15", "2024-03-12T10:15:00Z"),
        ("25/12/2024", "2024-12-25T00:00:00Z"),
        ("Tue, 03 Mar 2026 10:00:00 +0000", "2026-03-03T10:00:00Z"),
        ("1717200000000", "2024-06-01T00:00:00Z"),
        ("1717200000", "2024-06-01T00:00:00Z"),
    ])
    func parsesDates(_ text: String, _ iso: String) {
        #expect(DateParser().parse(text).map(ISOTime.string) == iso)
    }

    @Test func slashDatesFollowTheProfileOrder() {
        #expect(DateParser(order: .monthFirst).parse("03/04/2025").map(ISOTime.string) == "2025-03-04T00:00:00Z")
        #expect(DateParser(order: .dayFirst).parse("03/04/2025").map(ISOTime.string) == "2025-04-03T00:00:00Z")
    }

    @Test(arguments: ["", "soon", "2024-13-01", "99", "32.01.2024", "31.02.2024", "29.02.2023", "2024-04-31", "31/06/2025"])
    func rejectsNonDates(_ text: String) {
        #expect(DateParser().parse(text) == nil)
    }

    @Test(arguments: [
        ("yes", ConsentState.optedIn), ("Ja", .optedIn), ("TRUE", .optedIn), ("subscribed", .optedIn), ("opted-in", .optedIn),
        ("no", .optedOut), ("nein", .optedOut), ("Unsubscribed", .optedOut), ("STOP", .optedOut), ("0", .optedOut),
        ("", .unknown), ("maybe", .unknown),
    ])
    func parsesConsentWords(_ raw: String, _ state: ConsentState) {
        #expect(ConsentState.parse(raw, extra: nil) == state)
    }

    @Test func resolvesCountryCodesNamesAndAliases() {
        let resolver = CountryResolver(aliases: ["DEU": "DE", "USA": "US"])
        #expect(resolver.region(for: "de") == "DE")
        #expect(resolver.region(for: "UK") == "GB")
        #expect(resolver.region(for: "Deutschland") == "DE")
        #expect(resolver.region(for: "Germany") == "DE")
        #expect(resolver.region(for: "Österreich") == "AT")
        #expect(resolver.region(for: "Brasil") == "BR")
        #expect(resolver.region(for: "DEU") == "DE")
        #expect(resolver.region(for: "USA") == "US")
        #expect(resolver.region(for: "Atlantis") == nil)
        #expect(resolver.region(for: "") == nil)
    }

    @Test func autodetectsCommonHeaders() throws {
        let map = try ColumnMap.resolve(
            profile: .auto, header: ["MSISDN", "First Name", "last_name", "E-Mail", "Country", "Opted In", "viber_user_id"],
            file: "x.csv")
        #expect(map.indices[.phone] == 0)
        #expect(map.indices[.firstName] == 1)
        #expect(map.indices[.lastName] == 2)
        #expect(map.indices[.email] == 3)
        #expect(map.indices[.country] == 4)
        #expect(map.indices[.consent] == 5)
        #expect(map.indices[.viberID] == 6)
    }

    @Test func noPhoneColumnIsAClearErrorWithoutLeakingNumbers() {
        #expect {
            try ColumnMap.resolve(profile: .auto, header: ["+4915123456789", "Hans"], file: "headerless.csv")
        } throws: { error in
            let error = error as! WamigrateError
            return error.code == .inputNoPhoneColumn && !error.description.contains("4915123456789")
                && error.location?.file == "headerless.csv" && error.location?.line == 1
        }
    }
}

@Suite("Region choice")
struct RegionChoiceTests {
    let countries = CountryResolver()

    @Test(
        arguments: [
            ("Österreich", "CH", "DE", "AT", "row_country"),
            ("Atlantis", "CH", "DE", "CH", "source_default"),
            ("", nil, "DE", "DE", "job_default"),
        ] as [(String, String?, String?, String, String)])
    func rowCountryThenSourceThenJob(_ country: String, _ source: String?, _ job: String?, _ region: String, _ origin: String) {
        let choice = NormalizeStage.region(country: country, sourceRegion: source, defaultRegion: job, countries: countries)
        #expect(choice.hint?.code == region)
        #expect(choice.source == origin)
        #expect((choice.unknownCountry != nil) == (country == "Atlantis"))
    }

    @Test func noRegionAtAll() {
        let choice = NormalizeStage.region(country: nil, sourceRegion: nil, defaultRegion: nil, countries: countries)
        #expect(choice.hint == nil)
    }
}
