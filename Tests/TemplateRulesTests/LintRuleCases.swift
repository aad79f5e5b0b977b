import TemplateRules

/// One failing and one passing template per lint rule.
struct LintCase: Sendable, CustomStringConvertible {
    var rule: LintRule
    var failing: TemplatePayload
    var passing: TemplatePayload
    var description: String { "\(rule.rawValue) \(rule)" }
}

enum Fixtures {
    static func body(_ text: String, _ values: [String] = []) -> TemplateComponent {
        TemplateComponent(type: "BODY", text: text, example: values.isEmpty ? nil : TemplateExample(bodyText: [values]))
    }

    static func buttons(_ buttons: [TemplateButton]) -> TemplateComponent {
        TemplateComponent(type: "BUTTONS", buttons: buttons)
    }

    static func quick(_ text: String) -> TemplateButton { TemplateButton(type: "QUICK_REPLY", text: text) }
    static let link = TemplateButton(type: "URL", text: "Open", url: "https://shop.example.com/a")

    /// A clean UTILITY template: order update with one parameter.
    static let base = TemplatePayload(
        name: "order_update", language: "en", category: "UTILITY",
        components: [body("Hello, your order {{1}} has left our warehouse today.", ["A-1042"])])

    static func with(_ change: (inout TemplatePayload) -> Void) -> TemplatePayload {
        var template = base
        change(&template)
        return template
    }

    static func components(_ components: [TemplateComponent], category: String = "UTILITY") -> TemplatePayload {
        with {
            $0.components = components
            $0.category = category
        }
    }

    static let baseBody = body("Hello, your order {{1}} has left our warehouse today.", ["A-1042"])

    static func authentication(_ change: (inout [TemplateComponent]) -> Void = { _ in }) -> TemplatePayload {
        var body = TemplateComponent(type: "BODY")
        body.addSecurityRecommendation = true
        var footer = TemplateComponent(type: "FOOTER")
        footer.codeExpirationMinutes = 10
        var otp = TemplateButton(type: "OTP", text: "Copy code")
        otp.otpType = "COPY_CODE"
        var components = [body, footer, buttons([otp])]
        change(&components)
        return with {
            $0.category = "AUTHENTICATION"
            $0.components = components
        }
    }

    static func named(_ text: String, _ params: [(String, String)]) -> TemplatePayload {
        with {
            $0.parameterFormat = "named"
            $0.components = [
                TemplateComponent(
                    type: "BODY", text: text,
                    example: TemplateExample(bodyTextNamedParams: params.map { NamedExample(paramName: $0.0, example: $0.1) }))
            ]
        }
    }

    static func header(_ text: String, example: [String]? = nil) -> TemplatePayload {
        components([
            TemplateComponent(
                type: "HEADER", format: "TEXT", text: text, example: example.map { TemplateExample(headerText: $0) }), baseBody,
        ])
    }

    static func withButtons(_ list: [TemplateButton], category: String = "MARKETING") -> TemplatePayload {
        components(
            [body("Our summer collection is here, {{1}}. Have a look at the new styles.", ["Maria"]), buttons(list)],
            category: category)
    }

    static func url(_ url: String, example: [String]? = nil) -> TemplateButton {
        TemplateButton(type: "URL", text: "Track order", url: url, example: example)
    }

    static var cases: [LintCase] {
        [
            LintCase(rule: .nameCharset, failing: with { $0.name = "Order-Update" }, passing: base),
            LintCase(
                rule: .nameLength, failing: with { $0.name = String(repeating: "a", count: 513) },
                passing: with { $0.name = String(repeating: "a", count: 512) }),
            LintCase(rule: .languageKnown, failing: with { $0.language = "en-US" }, passing: with { $0.language = "en_US" }),
            LintCase(
                rule: .categoryKnown, failing: with { $0.category = "TRANSACTIONAL" }, passing: with { $0.category = "utility" }),
            LintCase(
                rule: .parameterFormat, failing: with { $0.parameterFormat = "numbered" },
                passing: with { $0.parameterFormat = "positional" }),
            LintCase(
                rule: .bodyRequired, failing: components([TemplateComponent(type: "FOOTER", text: "Thanks")]), passing: base),
            LintCase(rule: .componentRepeated, failing: components([baseBody, baseBody]), passing: base),
            LintCase(
                rule: .componentUnknown, failing: components([baseBody, TemplateComponent(type: "SIGNATURE", text: "x")]),
                passing: components([baseBody, TemplateComponent(type: "footer", text: "x")])),
            LintCase(
                rule: .buttonsEmpty, failing: components([baseBody, buttons([])]),
                passing: components([baseBody, buttons([quick("OK")])])),
            LintCase(
                rule: .headerLength, failing: header(String(repeating: "h", count: 61)),
                passing: header(String(repeating: "h", count: 60))),
            LintCase(
                rule: .headerParameters, failing: header("Hi {{1}} {{2}}", example: ["a", "b"]),
                passing: header("Hi {{1}}", example: ["a"])),
            LintCase(rule: .headerCharacters, failing: header("*Big* news"), passing: header("Big news")),
            LintCase(
                rule: .headerMedia, failing: components([TemplateComponent(type: "HEADER", format: "IMAGE"), baseBody]),
                passing: components([
                    {
                        var header = TemplateComponent(type: "HEADER", format: "IMAGE")
                        header.example = TemplateExample()
                        header.example?.headerHandle = ["4::aW1hZ2U="]
                        return header
                    }(), baseBody,
                ])),
            LintCase(
                rule: .bodyLength,
                failing: components([body("Your account statement is ready. " + String(repeating: "x", count: 1000))]),
                passing: base),
            LintCase(
                rule: .footerLength,
                failing: components([baseBody, TemplateComponent(type: "FOOTER", text: String(repeating: "f", count: 61))]),
                passing: components([baseBody, TemplateComponent(type: "FOOTER", text: String(repeating: "f", count: 60))])),
            LintCase(
                rule: .footerVariables, failing: components([baseBody, TemplateComponent(type: "FOOTER", text: "Ref {{1}}")]),
                passing: components([baseBody, TemplateComponent(type: "FOOTER", text: "Ref below")])),
            LintCase(
                rule: .buttonCount, failing: withButtons((1...11).map { quick("Option \($0)") }),
                passing: withButtons((1...10).map { quick("Option \($0)") })),
            LintCase(
                rule: .quickReplyCount, failing: withButtons((1...11).map { quick("Option \($0)") }),
                passing: withButtons((1...10).map { quick("Option \($0)") })),
            LintCase(rule: .urlButtonCount, failing: withButtons([link, link, link]), passing: withButtons([link, link])),
            LintCase(
                rule: .phoneButtonCount,
                failing: withButtons([
                    TemplateButton(type: "PHONE_NUMBER", text: "Call", phoneNumber: "+4930123456"),
                    TemplateButton(type: "PHONE_NUMBER", text: "Call", phoneNumber: "+4930123457"),
                ]), passing: withButtons([TemplateButton(type: "PHONE_NUMBER", text: "Call", phoneNumber: "+4930123456")])),
            LintCase(
                rule: .copyCodeCount,
                failing: withButtons([
                    TemplateButton(type: "COPY_CODE", text: "Copy", example: ["SUMMER25"]),
                    TemplateButton(type: "COPY_CODE", text: "Copy", example: ["SUMMER26"]),
                ]), passing: withButtons([TemplateButton(type: "COPY_CODE", text: "Copy", example: ["SUMMER25"])])),
            LintCase(
                rule: .buttonLabel, failing: withButtons([quick(String(repeating: "b", count: 26))]),
                passing: withButtons([quick(String(repeating: "b", count: 25))])),
            LintCase(
                rule: .buttonGrouping, failing: withButtons([quick("Yes"), link, quick("No")]),
                passing: withButtons([quick("Yes"), quick("No"), link])),
            LintCase(
                rule: .urlFormat, failing: withButtons([TemplateButton(type: "URL", text: "Open", url: "shop.example.com/a")]),
                passing: withButtons([link])),
            LintCase(
                rule: .urlVariable, failing: withButtons([url("https://shop.example.com/{{1}}/track")]),
                passing: withButtons([url("https://shop.example.com/t/{{1}}", example: ["https://shop.example.com/t/A1042"])])),
            LintCase(
                rule: .phoneNumber,
                failing: withButtons([TemplateButton(type: "PHONE_NUMBER", text: "Call", phoneNumber: "call us at 030")]),
                passing: withButtons([TemplateButton(type: "PHONE_NUMBER", text: "Call", phoneNumber: "+4930123456")])),
            LintCase(
                rule: .copyCode,
                failing: withButtons([TemplateButton(type: "COPY_CODE", text: "Copy", example: ["SUMMER2026DISCOUNT"])]),
                passing: withButtons([TemplateButton(type: "COPY_CODE", text: "Copy", example: ["SUMMER25"])])),
            LintCase(
                rule: .buttonDisplay, failing: withButtons([quick("A"), quick("B"), quick("C"), quick("D")]),
                passing: withButtons([quick("A"), quick("B"), quick("C")])),
            LintCase(
                rule: .buttonType, failing: withButtons([TemplateButton(type: "CALLBACK", text: "Call me")]),
                passing: withButtons([quick("Call me")])),
            LintCase(
                rule: .otpOutsideAuth, failing: withButtons([TemplateButton(type: "OTP", text: "Copy")]),
                passing: authentication()),
            LintCase(
                rule: .variablesSequential,
                failing: components([body("Hello, order {{1}} ships on {{3}} from our store.", ["A1", "Monday"])]),
                passing: components([body("Hello, order {{1}} ships on {{2}} from our store.", ["A1", "Monday"])])),
            LintCase(
                rule: .variableSyntax, failing: components([body("Hello, order {{#1}} ships today from our store.", ["A1"])]),
                passing: base),
            LintCase(
                rule: .variableDangling,
                failing: components([body("{{1}}, your order has left our warehouse today.", ["Maria"])]), passing: base),
            LintCase(
                rule: .variablesAdjacent,
                failing: components([body("Hello {{1}} {{2}}, your order has left our warehouse.", ["Maria", "Silva"])]),
                passing: components([body("Hello {{1}}, your order {{2}} has left our warehouse.", ["Maria", "A1"])])),
            LintCase(
                rule: .variableDensity, failing: components([body("Order {{1}}: {{2}} at {{3}}.", ["A1", "shipped", "noon"])]),
                passing: base),
            LintCase(
                rule: .variableFormatMismatch,
                failing: components([body("Hello, your order {{order}} has left our warehouse.", ["A1"])]),
                passing: named("Hello, your order {{order}} has left our warehouse.", [("order", "A1")])),
            LintCase(
                rule: .namedParameterName,
                failing: named("Hello, your order {{Order1}} has left our warehouse.", [("Order1", "A1")]),
                passing: named("Hello, your order {{order_id}} has left our warehouse.", [("order_id", "A1")])),
            LintCase(
                rule: .examplesMissing, failing: components([body("Hello, your order {{1}} has left our warehouse today.")]),
                passing: base),
            LintCase(
                rule: .exampleCount,
                failing: components([body("Hello, your order {{1}} has left our warehouse today.", ["A1", "B2"])]), passing: base),
            LintCase(
                rule: .exampleNames, failing: named("Hello, your order {{order}} has left our warehouse.", [("order_id", "A1")]),
                passing: named("Hello, your order {{order}} has left our warehouse.", [("order", "A1")])),
            LintCase(
                rule: .exampleValue,
                failing: components([body("Hello, your order {{1}} has left our warehouse today.", ["A1\nB2"])]), passing: base),
            LintCase(
                rule: .authPresetBody, failing: authentication { $0[0].text = "Your code is {{1}}" }, passing: authentication()),
            LintCase(
                rule: .authOTPButton, failing: authentication { $0[2] = buttons([quick("Copy")]) }, passing: authentication()),
            LintCase(
                rule: .authContent,
                failing: authentication { $0.insert(TemplateComponent(type: "HEADER", format: "TEXT", text: "Login"), at: 0) },
                passing: authentication()),
            LintCase(
                rule: .authExpiry, failing: authentication { $0[1].codeExpirationMinutes = 120 },
                passing: authentication { $0[1].codeExpirationMinutes = 90 }),
            LintCase(
                rule: .promotionalUtility,
                failing: components([
                    body("Hello, your order {{1}} has shipped. Get 20% off your next order with our summer sale!", ["A1"])
                ]), passing: base),
            LintCase(
                rule: .codeOutsideAuth,
                failing: components([body("Hello, your verification code is {{1}}. It works for ten minutes.", ["1234"])]),
                passing: base),
            LintCase(
                rule: .sensitiveData,
                failing: components([body("Hello {{1}}, please reply with your card number and CVV to confirm.", ["Maria"])]),
                passing: base),
        ]
    }
}
