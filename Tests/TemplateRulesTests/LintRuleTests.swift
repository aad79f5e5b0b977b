import Foundation
import Testing

@testable import TemplateRules

@Suite struct LintRuleTests {
    @Test(arguments: Fixtures.cases)
    func eachRuleFiresOnItsFailingCaseOnly(_ lintCase: LintCase) {
        let failing = TemplateLinter.lint(lintCase.failing, file: "t.json").map(\.rule)
        let passing = TemplateLinter.lint(lintCase.passing, file: "t.json").map(\.rule)
        #expect(failing.contains(lintCase.rule), "\(lintCase.rule.rawValue) did not fire: \(failing)")
        #expect(!passing.contains(lintCase.rule), "\(lintCase.rule.rawValue) fired on the passing case: \(passing)")
    }

    @Test func everyRuleHasACase() {
        let covered = Set(Fixtures.cases.map(\.rule))
        let uncovered = LintRule.allCases.filter { !covered.contains($0) && $0 != .json && $0 != .duplicateTemplate }
        #expect(uncovered.isEmpty, "rules without a case: \(uncovered.map(\.rawValue))")
    }

    @Test func theBaseTemplateIsClean() {
        #expect(TemplateLinter.lint(Fixtures.base).isEmpty)
        #expect(TemplateLinter.lint(Fixtures.authentication()).isEmpty)
    }

    @Test func duplicateNameAndLanguageAcrossFiles() {
        let findings = TemplateLinter.lint([(Fixtures.base, "a.json"), (Fixtures.base, "b.json")])
        #expect(findings.map(\.rule) == [.duplicateTemplate])
        #expect(findings.first?.file == "b.json")
        var german = Fixtures.base
        german.language = "de"
        #expect(TemplateLinter.lint([(Fixtures.base, "a.json"), (german, "b.json")]).isEmpty)
    }

    @Test func unreadableJSONIsAFindingWithThePath() throws {
        let broken = Data(#"{"name":"x","language":"en","category":"UTILITY","components":[{"text":"hi"}]}"#.utf8)
        guard case .failure(let finding) = TemplateLinter.decode(broken, file: "x.json") else {
            Issue.record("decoded a payload without component type")
            return
        }
        #expect(finding.rule == .json)
        #expect(finding.message.contains("components[0].type"))
        guard case .failure = TemplateLinter.decode(Data("{".utf8), file: "y.json") else {
            Issue.record("decoded broken JSON")
            return
        }
    }

    @Test func findingsSayWhereAndHowToFix() {
        let finding = TemplateLinter.lint(
            Fixtures.withButtons([Fixtures.quick("Yes"), Fixtures.link, Fixtures.quick("No")]), file: "promo.json"
        )
        .first { $0.rule == .buttonGrouping }
        #expect(finding?.location == "promo.json: order_update/en: BUTTONS")
        #expect(finding?.severity == .error)
        #expect(finding?.hint.contains("order the buttons") == true)
    }

    @Test(arguments: [
        ("en-US", "en_US"), ("EN", "en"), ("pt", "pt_BR"), ("pt-PT", "pt_PT"), ("de-DE", "de"), ("German", "de"),
        ("es_419", "es"), ("zh", "zh_CN"), ("fil", "fil"),
    ])
    func languageTagsMapToWhatsAppCodes(_ tag: String, _ code: String) {
        switch LanguageCodes.map(tag) {
        case .exact(let got), .mapped(let got, _): #expect(got == code)
        case .unknown: Issue.record("\(tag) not mapped")
        }
    }

    @Test func unknownLanguageStaysUnknown() {
        #expect(LanguageCodes.map("klingon") == .unknown)
    }
}
