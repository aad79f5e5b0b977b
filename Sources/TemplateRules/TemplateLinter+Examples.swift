extension TemplateLinter {
    mutating func checkExamples() {
        for component in template.components {
            let type = component.type.uppercased()
            guard type == "HEADER" || type == "BODY", let text = component.text else { continue }
            let names = PlaceholderScan(text).distinct
            guard !names.isEmpty else { continue }
            let example = component.example
            if template.isNamed {
                let given = (type == "BODY" ? example?.bodyTextNamedParams : example?.headerTextNamedParams) ?? []
                guard !given.isEmpty, given.allSatisfy({ !$0.example.isEmpty }) else {
                    report(.examplesMissing, "\(names.count) parameters but no named examples", component: type)
                    continue
                }
                if given.map(\.paramName).sorted() != names.sorted() {
                    let listed = given.map(\.paramName).joined(separator: ",")
                    report(
                        .exampleNames, "examples name [\(listed)], the text uses [\(names.joined(separator: ","))]",
                        component: type)
                }
                checkValues(given.map(\.example), component: type)
            } else {
                let values = (type == "BODY" ? example?.bodyText?.first : example?.headerText) ?? []
                guard !values.isEmpty, values.allSatisfy({ !$0.isEmpty }) else {
                    report(.examplesMissing, "\(names.count) parameters but no example values", component: type)
                    continue
                }
                if values.count != names.count {
                    report(.exampleCount, "\(values.count) example values for \(names.count) parameters", component: type)
                }
                checkValues(values, component: type)
            }
        }
    }

    private mutating func checkValues(_ values: [String], component: String) {
        for value in values where value.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" }) || value.contains("     ") {
            report(.exampleValue, "an example value has a newline, tab or 5+ spaces", component: component)
            return
        }
    }
}
