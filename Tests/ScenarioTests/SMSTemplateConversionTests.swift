import Foundation
import Testing

@testable import Scenarios
@testable import TemplateRules

/// Conversion keeps the meaning: each template of the corpus gets its category,
/// keeps its content (offers, links, promo codes) and loses only the opt-out
/// clause; one-time codes become Meta's authentication format and a literal code
/// is never left in any template.
@Suite("SMS template conversion keeps the meaning")
struct SMSTemplateConversionTests {
    static func convert(_ item: CorpusCase, category forced: String? = nil) -> (TemplatePayload, ArtifactReport) {
        let sms = SMSTemplate(
            id: item.id, language: item.language, text: item.text, purpose: item.purpose, category: forced, examples: [:],
            file: "corpus.csv", line: 2)
        return SMSTemplateConverter(named: false).convert(sms, name: item.id)
    }

    /// Every text a recipient can see or tap: body, header, footer, button labels and URLs.
    static func visible(_ payload: TemplatePayload) -> String {
        payload.components.flatMap { component in
            [component.text].compactMap { $0 } + (component.buttons ?? []).flatMap { [$0.text, $0.url].compactMap { $0 } }
        }.joined(separator: "\n")
    }

    @Test(arguments: SMSTemplateCorpus.all)
    func eachTemplateGetsItsCategoryAndKeepsItsContent(_ item: CorpusCase) {
        let (payload, report) = Self.convert(item)
        #expect(payload.category == item.category, "\(report.categoryReason ?? "")")
        let shown = Self.visible(payload)
        for piece in item.keep { #expect(shown.contains(piece), "lost '\(piece)': \(shown)") }
        let everything = String(decoding: (try? JSONEncoder().encode(payload)) ?? Data(), as: UTF8.self)
        for piece in item.drop { #expect(!everything.contains(piece), "kept '\(piece)': \(shown)") }
        #expect(report.losses.contains { $0.kind == "content_dropped" } == item.review, "\(report.losses)")
        #expect(report.categoryReason?.isEmpty == false)
    }

    @Test func theCorpusCoversEveryShippedLanguageAndCategory() {
        let languages = Set(SMSTemplateCorpus.all.map(\.language))
        #expect(languages == ["en", "de", "es", "pt", "fr", "it", "ru", "uk", "tr", "ar"])
        #expect(SMSTemplateCorpus.all.count >= 60)
        for language in ["en", "de", "es", "pt", "fr", "it", "ru", "uk", "tr", "ar"] {
            let categories = Set(SMSTemplateCorpus.all.filter { $0.language == language }.map(\.category))
            #expect(categories == ["AUTHENTICATION", "UTILITY", "MARKETING"], "\(language): \(categories)")
        }
    }

    // MARK: - The defects as reported

    @Test func aOneTimeCodeBecomesAnAuthenticationTemplateInMetasFormat() throws {
        let item = SMSTemplateCorpus.authentication[0]  // "Your ACME code is 482913. It expires in 10 minutes. Do not share it."
        let (payload, report) = Self.convert(item)
        #expect(payload.category == "AUTHENTICATION")
        let body = try #require(payload.components.first { $0.type == "BODY" })
        #expect(body.text == nil, "Meta's fixed text, not the SMS wording")
        #expect(body.addSecurityRecommendation == true)
        #expect(payload.components.first { $0.type == "FOOTER" }?.codeExpirationMinutes == 10)
        let button = try #require(payload.components.first { $0.type == "BUTTONS" }?.buttons?.first)
        #expect(button.type == "OTP" && button.otpType == "COPY_CODE")
        #expect(report.losses.contains { $0.kind == "auth_preset" && $0.detail.contains("Meta's fixed authentication text") })
        #expect(TemplateLinter.lint(payload, file: "x.json").filter { $0.severity == .error }.isEmpty)
    }

    @Test func aPinToResetAPasswordIsAuthenticationNotUtility() {
        #expect(Self.convert(SMSTemplateCorpus.authentication[1]).0.category == "AUTHENTICATION")
    }

    @Test func aLiteralCodeNeverStaysEvenWhenTheCategoryIsForced() {
        let item = SMSTemplateCorpus.authentication[1]  // "Use PIN 7720 to reset your password."
        let (payload, report) = Self.convert(item, category: "UTILITY")
        #expect(payload.category == "UTILITY")
        #expect(!Self.visible(payload).contains("7720"))
        #expect(Self.visible(payload).contains("{{1}}"))
        #expect(report.changes.contains { $0.kind == "literal_code" })
    }

    @Test func theOfferSurvivesItsOptOutClause() {
        let item = SMSTemplateCorpus.marketing[0]  // FLASH SALE!!! 50% OFF ... - reply STOP to opt out
        let (payload, report) = Self.convert(item)
        let body = payload.components.first { $0.type == "BODY" }?.text ?? ""
        #expect(body.contains("50% OFF everything today only at acme.example/sale"), "\(body)")
        let change = report.changes.first { $0.kind == "opt_out_clause" }
        #expect(change?.detail.contains("\"reply STOP to opt out\"") == true, "\(report.changes)")
        #expect(!(change?.detail.contains("removed \"50%") ?? true))
    }

    @Test func aSpanishBillIsUtility() {
        let item = SMSTemplateCorpus.utility.first { $0.id == "es_factura" }!
        let (payload, report) = Self.convert(item)
        #expect(payload.category == "UTILITY", "\(report.categoryReason ?? "")")
        #expect(report.categoryReason?.contains("factura") == true)
    }

    @Test func unclearContentSaysWhichWordsWereMissing() {
        let item = SMSTemplateCorpus.marketing.last!
        let reason = Self.convert(item).1.categoryReason ?? ""
        #expect(reason.contains("unclear content is MARKETING"))
        #expect(reason.contains("no utility wording"))
    }

    @Test func promoCodesAndTrackingCodesAreNotOneTimeCodes() {
        for text in [
            "Use code SPRING20 for 20% off.", "Your tracking code is {tracking}.", "Your discount code: 2024",
            "Reset your password here: {link}",
        ] {
            let item = CorpusCase(id: "x", language: "en", text: text, category: "")
            #expect(Self.convert(item).0.category != "AUTHENTICATION", "\(text)")
        }
    }

    @Test func optOutClausesInManyFormsAreCutAsClauses() {
        let cases: [(String, String)] = [
            ("Sale ends Sunday - reply STOP to opt out", "Sale ends Sunday"),
            ("Sale ends Sunday, Txt STOP to 81234", "Sale ends Sunday"),
            ("Abmelden: STOP an 81234", ""),
            ("Скидки до 20%. СТОП на 4545", "Скидки до 20%."),
            ("New shoes (reply STOP to unsubscribe)", "New shoes"),
        ]
        for (sentence, kept) in cases {
            let cut = OptOutClause.cut(sentence)
            #expect(cut?.kept.trimmingCharacters(in: .whitespaces) == kept, "\(sentence) → \(cut?.kept ?? "nil")")
            #expect(cut?.droppedContent.isEmpty == true)
        }
        #expect(OptOutClause.cut("Your order has shipped.") == nil)
    }
}

/// Template CSVs as platforms name their columns: `name,language,text` with no
/// purpose converts; the columns are found by their aliases.
@Suite("SMS template columns by alias")
struct SMSTemplateColumnTests {
    static func read(_ text: String) throws -> [SMSTemplate] {
        let path = NSTemporaryDirectory() + "wamigrate-columns-" + UUID().uuidString + ".csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SMSTemplateFile.read(try ScenarioCSV.read(path))
    }

    @Test func nameLanguageTextWithoutPurposeIsATemplateFile() throws {
        let templates = try Self.read("name,language,text\nwelcome,en,Your order {order} has shipped.\n")
        #expect(templates.map(\.id) == ["welcome"])
        #expect(templates.first?.purpose == "")
        #expect(SMSTemplateFile.isTemplateFile(header: ["name", "language", "text"]))
    }

    @Test func aliasesForEveryColumn() throws {
        let templates = try Self.read("template,locale,message,type\nbill,es,Tu factura vence el {fecha}.,billing\n")
        #expect(templates.first?.id == "bill")
        #expect(templates.first?.language == "es")
        #expect(templates.first?.text == "Tu factura vence el {fecha}.")
        #expect(templates.first?.purpose == "billing")
    }

    @Test func aCategoryColumnIsAPurposeUnlessItNamesACategory() throws {
        let templates = try Self.read(
            "id,lang,body,category\na,en,Your code is {code}.,otp\nb,en,Big sale today!,UTILITY\n")
        #expect(templates[0].purpose == "otp" && templates[0].category == nil)
        #expect(templates[1].category == "UTILITY")
    }
}
