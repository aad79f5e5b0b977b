extension TemplateLinter {
    static let knownCategories: Set<String> = ["MARKETING", "UTILITY", "AUTHENTICATION"]

    mutating func checkIdentity() {
        let name = template.name
        if name.isEmpty || !name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) {
            report(.nameCharset, "name '\(name)' has characters other than a–z, 0–9 and _")
        }
        if name.count > 512 { report(.nameLength, "name is \(name.count) characters, the limit is 512") }
        if !LanguageCodes.supported.contains(template.language) {
            report(.languageKnown, "language '\(template.language)' is not a WhatsApp template language code")
        }
        if !Self.knownCategories.contains(category) {
            report(.categoryKnown, "category '\(template.category)' is not MARKETING, UTILITY or AUTHENTICATION")
        }
        if let format = template.parameterFormat, !["named", "positional"].contains(format.lowercased()) {
            report(.parameterFormat, "parameter_format '\(format)' is not named or positional")
        }
    }
}
