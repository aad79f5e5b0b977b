extension TemplateLinter {
    mutating func checkVariables() {
        for component in template.components {
            let type = component.type.uppercased()
            guard type == "HEADER" || type == "BODY", let text = component.text else { continue }
            let scan = PlaceholderScan(text)
            if scan.unbalanced { report(.variableSyntax, "unmatched braces in the text", component: type) }
            for token in scan.tokens where token.index == nil && !token.isWord {
                report(.variableSyntax, "parameter {{\(token.content)}} is neither a number nor a name", component: type)
            }
            checkFormat(scan, component: type)
            if type == "BODY" { checkBodyShape(text, scan) }
        }
    }

    private mutating func checkFormat(_ scan: PlaceholderScan, component: String) {
        let numbered = scan.tokens.filter { $0.index != nil }
        let named = scan.tokens.filter { $0.index == nil && $0.isWord }
        if template.isNamed {
            if !numbered.isEmpty {
                report(.variableFormatMismatch, "numbered parameters in a named template", component: component)
            }
            for token in named where !token.isValidName {
                report(
                    .namedParameterName, "parameter name '\(token.content)' is not lowercase letters and _", component: component)
            }
            return
        }
        if !named.isEmpty {
            report(
                .variableFormatMismatch, "named parameters in a positional template (set parameter_format: named)",
                component: component)
        }
        let indices = Set(numbered.compactMap(\.index))
        if !indices.isEmpty, indices != Set(1...indices.count) {
            let listed = indices.sorted().map { "{{\($0)}}" }.joined(separator: ",")
            report(.variablesSequential, "parameters \(listed) are not {{1}}…{{\(indices.count)}}", component: component)
        }
    }

    private mutating func checkBodyShape(_ text: String, _ scan: PlaceholderScan) {
        guard let first = scan.tokens.first, let last = scan.tokens.last else { return }
        let isFiller: (Character) -> Bool = { $0.isWhitespace || $0.isPunctuation || $0.isSymbol }
        let before = text[text.startIndex..<first.range.lowerBound]
        let after = text[last.range.upperBound...]
        if before.allSatisfy(isFiller) { report(.variableDangling, "the body starts with a parameter", component: "BODY") }
        if after.allSatisfy(isFiller) { report(.variableDangling, "the body ends with a parameter", component: "BODY") }
        for (left, right) in zip(scan.tokens, scan.tokens.dropFirst())
        where text[left.range.upperBound..<right.range.lowerBound].allSatisfy(isFiller) {
            report(.variablesAdjacent, "{{\(left.content)}} and {{\(right.content)}} are side by side", component: "BODY")
        }
        let words = PlaceholderScan.stripped(text).split(whereSeparator: { $0.isWhitespace })
            .filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }.count
        let parameters = scan.tokens.count
        if words < 2 * parameters + 1 {
            report(
                .variableDensity, "\(parameters) parameters but only \(words) fixed words (want ≥ \(2 * parameters + 1))",
                component: "BODY")
        }
    }
}
