import Foundation
import WamigrateBase

/// Finds mapping profiles by name or path. Names are looked up in the mappings
/// folder: `--mappings-dir`, else `$WAMIGRATE_MAPPINGS`, else `./mappings`, else a
/// `mappings` folder above the executable (a source checkout).
public struct MappingCatalog: Sendable {
    public var directory: String?

    public init(directory: String? = nil) {
        self.directory = directory ?? Self.locate()
    }

    static func locate() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["WAMIGRATE_MAPPINGS"], !env.isEmpty { return env }
        if fm.fileExists(atPath: "mappings/generic.yml") { return "mappings" }
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("mappings")
            if fm.fileExists(atPath: candidate.appendingPathComponent("generic.yml").path) { return candidate.path }
        }
        return nil
    }

    /// `auto`, a profile name (`twilio`), or a path to a YAML file.
    public func profile(_ nameOrPath: String) throws -> MappingProfile {
        if nameOrPath == "auto" { return .auto }
        let path: String
        if nameOrPath.hasSuffix(".yml") || nameOrPath.hasSuffix(".yaml") || nameOrPath.contains("/") {
            path = nameOrPath
        } else {
            guard let directory else {
                throw WamigrateError(
                    .mapping, "no mappings folder found for profile '\(nameOrPath)'",
                    hint: "pass --mappings-dir or set WAMIGRATE_MAPPINGS, or give the profile's file path")
            }
            path = directory + "/" + nameOrPath + ".yml"
        }
        guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
            let known = names()
            let close = known.min { Self.distance($0, nameOrPath) < Self.distance($1, nameOrPath) }
            let suggestion = close.flatMap { Self.distance($0, nameOrPath) <= 2 ? "did you mean '\($0)'? " : nil } ?? ""
            throw WamigrateError(
                .mapping, "mapping profile '\(nameOrPath)' not found",
                hint: suggestion + "use one of: " + known.joined(separator: ", ") + ", auto, or a .yml path",
                at: .init(file: path))
        }
        return try MappingProfile.load(yaml: yaml, origin: path)
    }

    /// The profiles in the mappings folder (`countries.yml` is the country-name table, not a profile).
    public func names() -> [String] {
        guard let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return files.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.filter { !Self.notProfiles.contains($0) }
            .sorted()
    }

    static let notProfiles: Set<String> = ["countries"]

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
