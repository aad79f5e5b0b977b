import Foundation
import Testing
import WamigrateTestSupport

/// Each conversion rule, on constructed SMS templates and Viber messages.
@Suite("End to end: conversion rules")
struct ConversionRulesEndToEndTests {
    func convertSMS(_ rows: [String], named: Bool = false) throws -> (TempFolder, Binary.Result) {
        let folder = TempFolder()
        let file = folder.write("sms.csv", (["id,language,text,purpose,category,examples"] + rows).joined(separator: "\n") + "\n")
        let result = try Binary.run(["scenarios", "convert", file, "--out", folder.file("out")] + (named ? ["--named"] : []))
        return (folder, result)
    }

    func template(_ folder: TempFolder, _ name: String, folderName: String = "templates") throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("out/\(folderName)/\(name).json")))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func component(_ template: [String: Any], _ type: String) -> [String: Any]? {
        (template["components"] as? [[String: Any]])?.first { ($0["type"] as? String) == type }
    }

    func artifact(_ folder: TempFolder, _ id: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("out/report.json")))
        let report = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require((report["artifacts"] as? [[String: Any]])?.first { $0["artifact"] as? String == id })
    }

    func kinds(_ artifact: [String: Any], _ key: String) -> [String] {
        (artifact[key] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    }

    @Test func everyPlaceholderStyleBecomesSequentialVariablesWithExamples() throws {
        let (folder, result) = try convertSMS([
            #"mix,en,"Dear [Name], order {order} for %AMOUNT% EUR ships on {{date}} from $store today.",order update,,"#
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let body = try #require(component(try template(folder, "mix.en"), "BODY"))
        #expect(body["text"] as? String == "Dear {{1}}, order {{2}} for {{3}} EUR ships on {{4}} from {{5}} today.")
        #expect(
            (body["example"] as? [String: Any])?["body_text"] as? [[String]] == [
                ["Maria", "A-10425", "49.90", "12 March", "Alexanderplatz"]
            ])
    }

    @Test func namedParametersUseLowercaseNames() throws {
        let (folder, _) = try convertSMS(
            [#"n,en,"Dear [First Name], your order {Order_ID} has shipped today.",order,,"#], named: true)
        let template = try template(folder, "n.en")
        #expect(template["parameter_format"] as? String == "named")
        let body = try #require(component(template, "BODY"))
        #expect(body["text"] as? String == "Dear {{first_name}}, your order {{order_id}} has shipped today.")
    }

    @Test func adjacentDanglingAndBoilerplateAreRewrittenAndReported() throws {
        let (folder, _) = try convertSMS([
            #"adj,en,"{first} {last}, your appointment is on {date}. Msg&data rates may apply. Reply HELP for help.",appointment,,first=Ana;last=Lee"#
        ])
        let body = try #require(component(try template(folder, "adj.en"), "BODY"))
        #expect(body["text"] as? String == "Hi {{1}}, your appointment is on {{2}}. Thank you.")
        #expect((body["example"] as? [String: Any])?["body_text"] as? [[String]] == [["Ana Lee", "12 March"]])
        let report = try artifact(folder, "adj")
        #expect(kinds(report, "changes").contains("adjacent_merged"))
        #expect(kinds(report, "changes").contains("dangling_start"))
        #expect(kinds(report, "changes").contains("dangling_end"))
        #expect(kinds(report, "losses").contains("rates_line"))
        #expect(kinds(report, "losses").contains("help_line"))
    }

    @Test func optOutLineBecomesAQuickReplyOnMarketingOnly() throws {
        let (folder, _) = try convertSMS([
            #"promo,de,"Nur heute 20% Rabatt auf alle Schuhe im Shop. Antworte STOPP zum Abmelden.",promotion,,"#,
            #"util,en,"Your order {order} has shipped to your address. Reply STOP to unsubscribe.",order,,"#,
        ])
        let promo = try template(folder, "promo.de")
        #expect(promo["category"] as? String == "MARKETING")
        let buttons = component(promo, "BUTTONS")?["buttons"] as? [[String: Any]]
        #expect(buttons?.first?["type"] as? String == "QUICK_REPLY")
        #expect(buttons?.first?["text"] as? String == "Werbung abbestellen")
        let promoBody = component(promo, "BODY")?["text"] as? String
        #expect(promoBody == "Nur heute 20% Rabatt auf alle Schuhe im Shop.")
        let util = try template(folder, "util.en")
        #expect(util["category"] as? String == "UTILITY")
        #expect(component(util, "BUTTONS") == nil)
        #expect(kinds(try artifact(folder, "util"), "losses").contains("opt_out_line"))
    }

    @Test func trailingLinkBecomesAURLButtonWithItsVariableAtTheEnd() throws {
        let (folder, _) = try convertSMS([
            #"track,en,"Your parcel {parcel} is on its way. Track it here: https://t.example.com/p/{parcel}",delivery,,parcel=P-77"#
        ])
        let template = try template(folder, "track.en")
        #expect(component(template, "BODY")?["text"] as? String == "Your parcel {{1}} is on its way.")
        let button = try #require((component(template, "BUTTONS")?["buttons"] as? [[String: Any]])?.first)
        #expect(button["type"] as? String == "URL")
        #expect(button["text"] as? String == "Track it")
        #expect(button["url"] as? String == "https://t.example.com/p/{{1}}")
        #expect(button["example"] as? [String] == ["https://t.example.com/p/P-77"])
    }

    @Test func oneTimeCodesBecomeMetasAuthenticationFormat() throws {
        let (folder, _) = try convertSMS([
            #"otp,en,"Your verification code is {code}. Valid for 5 minutes. Do not share it.",login,,"#
        ])
        let template = try template(folder, "otp.en")
        #expect(template["category"] as? String == "AUTHENTICATION")
        #expect(component(template, "BODY")?["add_security_recommendation"] as? Bool == true)
        #expect(component(template, "BODY")?["text"] == nil)
        #expect(component(template, "FOOTER")?["code_expiration_minutes"] as? Int == 5)
        let button = (component(template, "BUTTONS")?["buttons"] as? [[String: Any]])?.first
        #expect(button?["type"] as? String == "OTP")
        #expect(button?["otp_type"] as? String == "COPY_CODE")
    }

    @Test func categoriesAreSuggestedWithAReason() throws {
        let (folder, _) = try convertSMS([
            #"mixed,en,"Your order {order} has shipped! Use code SAVE10 for a discount on your next order.",order,,"#,
            #"unclear,en,"Congratulations {name} on this great day of the year!",greeting,,"#,
        ])
        #expect(try template(folder, "mixed.en")["category"] as? String == "MARKETING")
        #expect((try artifact(folder, "mixed")["category_reason"] as? String)?.contains("mixed content") == true)
        #expect((try artifact(folder, "unclear")["category_reason"] as? String)?.contains("unclear content") == true)
    }

    @Test func overLongTextIsReportedAndDraftedNotCut() throws {
        let long = "Your monthly account statement is ready. " + String(repeating: "Details follow here. ", count: 55)
        let (folder, result) = try convertSMS(["long,en,\"\(long)\",account statement,,"])
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.file("out/templates/long.en.json")))
        let draft = try template(folder, "long.en", folderName: "drafts")
        #expect((component(draft, "BODY")?["text"] as? String)?.count ?? 0 > 1024)
        let report = try artifact(folder, "long")
        #expect(report["status"] as? String == "needs_review")
        #expect(kinds(report, "losses").contains("too_long"))
        #expect((report["lint_errors"] as? [String])?.first?.hasPrefix("T030") == true)
    }

    @Test func languagesMapToWhatsAppCodesOrGoToDrafts() throws {
        let (folder, _) = try convertSMS([
            #"a,pt,"Seu pedido {pedido} foi enviado hoje para o seu endereço.",order,,"#,
            #"b,xx-YY,"Your order {order} has shipped today to your address.",order,,"#,
        ])
        #expect(try template(folder, "a.pt_BR")["language"] as? String == "pt_BR")
        #expect(FileManager.default.fileExists(atPath: folder.file("out/drafts/b.xx-YY.json")))
    }

    @Test func viberKeyboardsBecomeTheFittingInteractiveMessage() throws {
        let folder = TempFolder()
        func buttons(_ count: Int) -> String {
            (1...count).map { #"{"ActionType":"reply","ActionBody":"c\#($0)","Text":"Choice \#($0)"}"# }.joined(separator: ",")
        }
        let file = folder.write(
            "kb.viber.json",
            """
            [
              {"type":"text","text":"<b>Pick</b> <u>one</u>","keyboard":{"Buttons":[\(buttons(3)),{"ActionType":"share-phone","ActionBody":"p","Text":"Phone"}]}},
              {"type":"text","text":"Pick","keyboard":{"Buttons":[\(buttons(7))]}},
              {"type":"text","text":"Pick","keyboard":{"Buttons":[\(buttons(23))]}},
              {"type":"text","text":"Visit us","keyboard":{"Buttons":[{"ActionType":"open-url","ActionBody":"https://a.example","Text":"Open our website now please"}]}},
              {"type":"text","text":"Where are you?","keyboard":{"Buttons":[{"ActionType":"location-picker","ActionBody":"loc","Text":"Send location"}]}}
            ]
            """)
        let result = try Binary.run(["scenarios", "convert", file, "--out", folder.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("out/flows/kb.json")))
        let flow = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let states = try #require(flow["states"] as? [[String: Any]])
        func interactive(_ id: String) -> [String: Any]? {
            let state = states.first { $0["id"] as? String == id }
            return ((state?["messages"] as? [[String: Any]])?.first?["interactive"]) as? [String: Any]
        }
        #expect(interactive("message_1")?["type"] as? String == "button")
        #expect((interactive("message_1")?["body"] as? [String: Any])?["text"] as? String == "*Pick* one")
        #expect(((interactive("message_1")?["action"] as? [String: Any])?["buttons"] as? [Any])?.count == 3)
        #expect(interactive("message_2")?["type"] as? String == "list")
        // 23 choices: pages of 9 + "more", then the last 5.
        #expect(states.contains { $0["id"] as? String == "message_3__page3" })
        let cta = interactive("message_4")
        #expect(cta?["type"] as? String == "cta_url")
        let label = ((cta?["action"] as? [String: Any])?["parameters"] as? [String: Any])?["display_text"] as? String
        #expect((label?.count ?? 99) <= 20)
        #expect(interactive("message_5")?["type"] as? String == "location_request_message")
        let report = folder.read("out/report.md")
        #expect(report.contains("share-phone button \"Phone\" dropped"))
        #expect(report.contains("<u> has no WhatsApp formatting"))
        #expect(report.contains("\"Open our website now please\" is over 20 characters"))
    }

    @Test func badInputsNameFileLineAndColumn() throws {
        let folder = TempFolder()
        let noText = folder.write("t.csv", "id,language,purpose\nx,en,order\n")
        var result = try Binary.run(["scenarios", "convert", noText, "--out", folder.file("o1")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("t.csv:1:4: E_INPUT_CSV"))
        let broken = folder.write("f.viber.json", "{\"start\":\"a\",\n \"states\": {\"a\" {\"message\": {\"text\": \"hi\"}}}}")
        result = try Binary.run(["scenarios", "convert", broken, "--out", folder.file("o2")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("f.viber.json:2:"))
        #expect(result.stderr.contains("E_INPUT_JSON"))
        let dangling = folder.write(
            "g.viber.json", "{\"start\":\"a\",\"states\":{\"a\":{\"message\":{\"text\":\"hi\"},\n\"default\":\"nowhere\"}}}")
        result = try Binary.run(["scenarios", "convert", dangling, "--out", folder.file("o3")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("g.viber.json:2:11"))
        #expect(result.stderr.contains("'nowhere'"))
    }

    @Test func badKeywordFilesAndScriptsAreClearErrors() throws {
        let folder = TempFolder()
        let missingNext = folder.write("k.csv", "keywords,reply,next\nMENU,Pick one,ORDER|HOURS\nORDER,Send the number,\n")
        var result = try Binary.run(["scenarios", "convert", missingNext, "--out", folder.file("o1")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("k.csv:2: E_INPUT_CSV"))
        #expect(result.stderr.contains("HOURS"))
        let twice = folder.write("d.csv", "keywords,reply\nSTOP|END,Bye\nend,Bye again\n")
        result = try Binary.run(["scenarios", "convert", twice, "--out", folder.file("o2")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("d.csv:3:1: E_INPUT_CSV"))
        #expect(result.stderr.contains("also on line 2"))
        _ = try Binary.run(["scenarios", "convert", Binary.packageRoot + "/samples/scenarios", "--out", folder.file("out")])
        let flow = folder.file("out/flows/keyword_replies.json")
        let twoInputs = folder.write("two.yml", "steps:\n  - text: hi\n    button: menu\n")
        result = try Binary.run(["scenarios", "simulate", flow, "--script", twoInputs])
        #expect(result.status == 65)
        #expect(result.stderr.contains("E_INPUT_SCRIPT"))
        #expect(result.stderr.contains("step 1 has 2 inputs"))
        let broken = folder.write("broken.yml", "steps:\n  - text: [hi\n")
        result = try Binary.run(["scenarios", "simulate", flow, "--script", broken])
        #expect(result.status == 65)
        #expect(result.stderr.contains("broken.yml:3:1: E_INPUT_SCRIPT"), "\(result.stderr)")
    }
}
