/// Every template rule from contracts.md §2 with a stable id. `error` means
/// Meta would reject the template or the API would refuse it; `warning` means a
/// likely rejection or recategorization.
public enum LintRule: String, CaseIterable, Codable, Sendable {
    case json = "T000"
    case nameCharset = "T001"
    case nameLength = "T002"
    case languageKnown = "T003"
    case categoryKnown = "T004"
    case parameterFormat = "T005"
    case duplicateTemplate = "T006"
    case bodyRequired = "T010"
    case componentRepeated = "T011"
    case componentUnknown = "T012"
    case buttonsEmpty = "T013"
    case headerLength = "T020"
    case headerParameters = "T021"
    case headerCharacters = "T022"
    case headerMedia = "T023"
    case bodyLength = "T030"
    case footerLength = "T040"
    case footerVariables = "T041"
    case buttonCount = "T050"
    case quickReplyCount = "T051"
    case urlButtonCount = "T052"
    case phoneButtonCount = "T053"
    case copyCodeCount = "T054"
    case buttonLabel = "T055"
    case buttonGrouping = "T056"
    case urlFormat = "T057"
    case urlVariable = "T058"
    case phoneNumber = "T059"
    case copyCode = "T060"
    case buttonDisplay = "T061"
    case buttonType = "T062"
    case otpOutsideAuth = "T063"
    case variablesSequential = "T070"
    case variableSyntax = "T071"
    case variableDangling = "T072"
    case variablesAdjacent = "T073"
    case variableDensity = "T074"
    case variableFormatMismatch = "T075"
    case namedParameterName = "T076"
    case examplesMissing = "T080"
    case exampleCount = "T081"
    case exampleNames = "T082"
    case exampleValue = "T083"
    case authPresetBody = "T090"
    case authOTPButton = "T091"
    case authContent = "T092"
    case authExpiry = "T093"
    case promotionalUtility = "T095"
    case codeOutsideAuth = "T096"
    case sensitiveData = "T097"

    public enum Severity: String, Codable, Sendable { case error, warning }

    public var severity: Severity {
        switch self {
        case .headerCharacters, .variableDensity, .exampleValue, .buttonDisplay, .promotionalUtility, .codeOutsideAuth,
            .sensitiveData:
            .warning
        default: .error
        }
    }

    /// One line: what the rule checks.
    public var title: String {
        switch self {
        case .json: "the file is a template creation payload (JSON object or array of objects)"
        case .nameCharset: "name: lowercase letters, digits and underscores only"
        case .nameLength: "name: at most 512 characters"
        case .languageKnown: "language: a WhatsApp template language code"
        case .categoryKnown: "category: MARKETING, UTILITY or AUTHENTICATION"
        case .parameterFormat: "parameter_format: named or positional"
        case .duplicateTemplate: "one template per name and language"
        case .bodyRequired: "a BODY component is required"
        case .componentRepeated: "at most one HEADER, BODY, FOOTER and BUTTONS component"
        case .componentUnknown: "component type: HEADER, BODY, FOOTER or BUTTONS"
        case .buttonsEmpty: "a BUTTONS component holds at least one button"
        case .headerLength: "header text: at most 60 characters"
        case .headerParameters: "header text: at most 1 parameter"
        case .headerCharacters: "header text: no newline, markdown characters or emoji"
        case .headerMedia: "media header: a known format with an example header_handle"
        case .bodyLength: "body: at most 1024 characters"
        case .footerLength: "footer: at most 60 characters"
        case .footerVariables: "footer: no parameters"
        case .buttonCount: "at most 10 buttons"
        case .quickReplyCount: "at most 10 quick-reply buttons"
        case .urlButtonCount: "at most 2 URL buttons"
        case .phoneButtonCount: "at most 1 phone-number button"
        case .copyCodeCount: "at most 1 copy-code button"
        case .buttonLabel: "button label: 1 to 25 characters"
        case .buttonGrouping: "quick replies and other buttons form two contiguous groups"
        case .urlFormat: "URL button: an http(s) URL of at most 2000 characters"
        case .urlVariable: "URL button: at most one parameter, at the end, with a full example URL"
        case .phoneNumber: "phone button: an international number of at most 20 characters"
        case .copyCode: "copy-code button: an example code of at most 15 characters"
        case .buttonDisplay:
            "more than 3 buttons, or quick replies mixed with other buttons, cannot be viewed on WhatsApp desktop"
        case .buttonType: "button type: QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE or OTP"
        case .otpOutsideAuth: "OTP buttons only in AUTHENTICATION templates"
        case .variablesSequential: "positional parameters run {{1}}…{{n}} without gaps"
        case .variableSyntax: "parameters are {{1}} or {{name}}: matched braces, no special characters"
        case .variableDangling: "the body neither starts nor ends with a parameter"
        case .variablesAdjacent: "no two parameters side by side"
        case .variableDensity: "enough fixed words for the number of parameters (2·params + 1)"
        case .variableFormatMismatch: "parameters match parameter_format (numbers for positional, names for named)"
        case .namedParameterName: "named parameters: lowercase letters and underscores"
        case .examplesMissing: "examples for every component that has parameters"
        case .exampleCount: "as many example values as parameters"
        case .exampleNames: "named examples name exactly the parameters used"
        case .exampleValue: "example values: no newline, tab or more than 4 spaces in a row"
        case .authPresetBody: "authentication body: Meta's preset text, no custom text"
        case .authOTPButton: "authentication: exactly one OTP button (copy_code, one_tap or zero_tap)"
        case .authContent: "authentication: no header, URLs, media, emoji or footer text"
        case .authExpiry: "authentication: code_expiration_minutes between 1 and 90"
        case .promotionalUtility: "no promotional wording in a UTILITY template"
        case .codeOutsideAuth: "one-time codes only in AUTHENTICATION templates"
        case .sensitiveData: "never ask for full card numbers, CVV, PINs or passwords"
        }
    }

    /// How to fix a finding of this rule.
    public var hint: String {
        switch self {
        case .json:
            "fix the JSON at the path shown; the payload is the Cloud API's message_templates creation body (name, language, category, components)"
        case .nameCharset: "rename: lowercase it and replace other characters with _ (order_shipped_v2)"
        case .nameLength: "shorten the name"
        case .languageKnown: "use a language code WhatsApp templates support, e.g. en, en_US, de, pt_BR"
        case .categoryKnown: "set category to MARKETING, UTILITY or AUTHENTICATION"
        case .parameterFormat: "set parameter_format to named or positional, or remove it (positional)"
        case .duplicateTemplate: "give one of them another name, or drop the copy"
        case .bodyRequired: "add a BODY component with the message text"
        case .componentRepeated: "merge the repeated components into one"
        case .componentUnknown: "use HEADER, BODY, FOOTER or BUTTONS"
        case .buttonsEmpty: "add buttons or remove the BUTTONS component"
        case .headerLength: "shorten the header to 60 characters or move text to the body"
        case .headerParameters: "keep one parameter in the header; move the others to the body"
        case .headerCharacters: "remove newlines, * _ ~ ` and emoji from the header"
        case .headerMedia: "use IMAGE, VIDEO, GIF, DOCUMENT or LOCATION and give example.header_handle from the upload API"
        case .bodyLength: "shorten the body to 1024 characters; move details to a URL button"
        case .footerLength: "shorten the footer to 60 characters"
        case .footerVariables: "write the footer as fixed text; move parameters to the body"
        case .buttonCount: "keep at most 10 buttons"
        case .quickReplyCount: "keep at most 10 quick replies"
        case .urlButtonCount: "keep at most 2 URL buttons; put other links in the body"
        case .phoneButtonCount: "keep one phone-number button"
        case .copyCodeCount: "keep one copy-code button"
        case .buttonLabel: "write a label of 1–25 characters"
        case .buttonGrouping: "order the buttons as all quick replies then the others, or the reverse"
        case .urlFormat: "use a full https:// URL of at most 2000 characters"
        case .urlVariable: "put a single {{1}} at the very end of the URL and give example: [\"<full url>\"]"
        case .phoneNumber: "write the number in international form, e.g. +4930123456"
        case .copyCode: "give example: \"CODE\" of at most 15 characters"
        case .buttonDisplay: "keep 3 buttons or fewer, of one kind, if desktop users matter"
        case .buttonType: "use QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE or OTP"
        case .otpOutsideAuth: "make it an AUTHENTICATION template, or use a COPY_CODE button"
        case .variablesSequential: "renumber the parameters {{1}}, {{2}}, … in order, with no gaps"
        case .variableSyntax: "write parameters as {{1}} or {{name}} and close every brace"
        case .variableDangling: "add fixed words before the first or after the last parameter"
        case .variablesAdjacent: "put words between the parameters, or merge them into one"
        case .variableDensity: "add fixed text or use fewer parameters"
        case .variableFormatMismatch: "use {{1}}… with positional or {{name}} with parameter_format named, not both"
        case .namedParameterName: "rename the parameter with lowercase letters and underscores (first_name)"
        case .examplesMissing: "add example.body_text / header_text (or *_named_params) with realistic values"
        case .exampleCount: "give one example value per parameter"
        case .exampleNames: "list each parameter once in *_named_params, with the names used in the text"
        case .exampleValue: "use single-line example values"
        case .authPresetBody: "remove body text; set add_security_recommendation instead"
        case .authOTPButton: "use one button {\"type\":\"OTP\",\"otp_type\":\"COPY_CODE\",\"text\":\"Copy code\"}"
        case .authContent: "remove the header, links, emoji and footer text; use code_expiration_minutes"
        case .authExpiry: "set code_expiration_minutes to 1–90"
        case .promotionalUtility: "remove the promotion, or make the template MARKETING (Meta will re-categorize it)"
        case .codeOutsideAuth: "send one-time codes with an AUTHENTICATION template"
        case .sensitiveData: "ask for partial data only (last 4 digits) or send people to your secure site"
        }
    }
}

/// One finding: which rule, where, what and how to fix it.
public struct LintFinding: Error, Codable, Sendable, Equatable {
    public var rule: LintRule
    public var severity: LintRule.Severity
    public var file: String?
    public var template: String
    public var language: String
    /// HEADER, BODY, FOOTER, BUTTONS, or nil for the template itself.
    public var component: String?
    /// 0-based button position in the BUTTONS component.
    public var button: Int?
    public var message: String
    public var hint: String

    public var location: String {
        var parts = [file ?? "-", "\(template)/\(language)"]
        if let component { parts.append(component) }
        if let button { parts.append("button \(button)") }
        return parts.joined(separator: ": ")
    }
}
