import Testing
import WamigrateStore

@testable import WamigrateCore

@Suite("Survivorship")
struct SurvivorshipTests {
    func row(
        _ id: Int64, source: Int64 = 1, name: String? = nil, email: String? = nil, consent: ConsentState = .unknown,
        consentAt: Int64? = nil, seenAt: Int64? = nil, tags: String? = nil
    ) -> MergeRow {
        MergeRow(
            id: id, sourceID: source, record: id, name: name, email: email, consent: consent, consentAt: consentAt,
            seenAt: seenAt, viberID: nil, tags: tags, language: nil)
    }

    let rules = Survivorship(priorities: [1: 10, 2: 20])

    @Test func optOutIsStickyAgainstOlderAndImplicitOptIns() {
        let merged = rules.merge([
            row(1, consent: .optedIn, consentAt: 300),
            row(2, consent: .optedOut, consentAt: 200),
            row(3, consent: .optedIn),
        ])
        // The dated opt-in at 300 is later than the opt-out at 200: the latest explicit consent wins.
        #expect(merged.consent == .optedIn)
        #expect(merged.consentRow == 1)
        let sticky = rules.merge([
            row(1, consent: .optedIn, consentAt: 100), row(2, consent: .optedOut, consentAt: 200), row(3, consent: .optedIn),
        ])
        #expect(sticky.consent == .optedOut)
        #expect(sticky.consentRow == 2)
        #expect(sticky.consentRule == "sticky_opt_out")
    }

    @Test func anUndatedOptOutCannotBeOverridden() {
        let merged = rules.merge([row(1, consent: .optedOut), row(2, consent: .optedIn, consentAt: 999_999)])
        #expect(merged.consent == .optedOut)
        #expect(merged.conflicts.contains("consent"))
    }

    @Test func latestExplicitOptInWins() {
        let merged = rules.merge([
            row(1, consent: .optedIn, consentAt: 100), row(2, consent: .optedIn, consentAt: 500), row(3, consent: .optedIn),
        ])
        #expect(merged.consent == .optedIn)
        #expect(merged.consentAt == 500)
        #expect(merged.consentRow == 2)
    }

    @Test func namesByRecencyThenSourcePriority() {
        let byRecency = rules.merge([row(1, source: 2, name: "Old", seenAt: 10), row(2, source: 1, name: "New", seenAt: 20)])
        #expect(byRecency.name?.value == "New")
        #expect(byRecency.name?.row == 2)
        let byPriority = rules.merge([row(1, source: 1, name: "Low"), row(2, source: 2, name: "High")])
        #expect(byPriority.name?.value == "High")
        let skipsEmpty = rules.merge([row(1, name: nil, email: "a@x", seenAt: 50), row(2, name: "Kept", seenAt: 10)])
        #expect(skipsEmpty.name?.value == "Kept")
        #expect(skipsEmpty.email?.value == "a@x")
    }

    @Test func sourcesAndTagsAreUnioned() {
        let merged = rules.merge([row(1, source: 1, tags: "VIP; Kunde"), row(2, source: 2, tags: "kunde,B2B")])
        #expect(merged.sourceIDs == [1, 2])
        #expect(merged.tags == ["B2B", "Kunde", "VIP"])
    }

    @Test func differentPeopleOnOneNumberAreFlagged() {
        let merged = rules.merge([
            row(1, name: "Jürgen Müller", email: "j@x"), row(2, name: "Juergen M.", email: "j@y"), row(3, name: "Anna Koch"),
        ])
        #expect(merged.conflicts.contains("name"))
        #expect(merged.conflicts.contains("email"))
        let same = rules.merge([row(1, name: "Jürgen Müller"), row(2, name: "jurgen müller")])
        #expect(same.conflicts.isEmpty)
    }
}
