import Foundation

extension TemplateLinter {
    /// Lints template files (folders: their `.json` files), including the rules
    /// across files. A file that cannot be read or decoded is a T000 finding.
    public static func lint(files paths: [String]) -> (templates: Int, findings: [LintFinding]) {
        let (decoded, findings) = read(files: paths)
        return (decoded.count, findings + lint(decoded))
    }

    /// The payloads in the files, and a T000 finding for each file that is not one.
    public static func read(files paths: [String]) -> ([(TemplatePayload, file: String?)], [LintFinding]) {
        var decoded: [(TemplatePayload, file: String?)] = []
        var findings: [LintFinding] = []
        for path in expand(paths) {
            guard let data = FileManager.default.contents(atPath: path) else {
                findings.append(
                    LintFinding(
                        rule: .json, severity: .error, file: path, template: "?", language: "?", component: nil, button: nil,
                        message: "cannot read the file", hint: "check the path"))
                continue
            }
            switch decode(data, file: path) {
            case .success(let templates): decoded += templates.map { ($0, path) }
            case .failure(let finding): findings.append(finding)
            }
        }
        return (decoded, findings)
    }

    static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            return names.filter { $0.hasSuffix(".json") }.sorted().map { "\(folder)/\($0)" }
        }
    }
}
