import Testing
import WamigrateStore
import WamigrateTestSupport

@testable import WamigrateCore

/// Every shipped profile loads, and every key it writes reaches the profile
/// (a misspelt nested key would otherwise decode as nil and be silently ignored).
@Suite("Shipped mapping profiles")
struct MappingProfileTests {
    let catalog = MappingCatalog(directory: Binary.packageRoot + "/mappings")

    @Test func allShippedProfilesLoad() throws {
        // countries.yml is the country-name table, not a profile.
        #expect(catalog.names() == ["generic", "messagebird", "plivo", "twilio", "viber", "vonage"])
        for name in catalog.names() {
            let profile = try catalog.profile(name)
            #expect(profile.name == name)
        }
    }

    @Test func nestedKeysAreRead() throws {
        for name in ["twilio", "plivo", "vonage"] {
            let direction = try #require(try catalog.profile(name).direction, "\(name) has a direction block")
            #expect(!direction.inboundPhone.isEmpty)
        }
        let viber = try catalog.profile("viber")
        #expect(viber.consentValues?.optedIn == ["subscribed"])
        #expect(viber.consentValues?.optedOut == ["unsubscribed"])
        #expect(try catalog.profile("twilio").dateOrder == "MDY")
    }

    @Test func profileWordsDecideConsent() throws {
        let words = MappingProfile.ConsentValues(optedIn: ["aktiv"], optedOut: ["ausgetragen"])
        #expect(ConsentState.parse("Ausgetragen", extra: words) == .optedOut)
        #expect(ConsentState.parse("aktiv", extra: words) == .optedIn)
        // Without the profile's words the cell cannot be read: extract refuses it (E_INPUT_CONSENT).
        #expect(ConsentState.read("ausgetragen", extra: nil) == nil)
        #expect(ConsentState.read("pending", extra: nil) == .unknown)
    }
}
