/// Auto mode: recognises a shipped export by its header. Each profile in the
/// mappings folder may list `detect` headers; the profile whose `detect` headers
/// are all present wins (the one with the most such headers when several fit).
/// No fit: every column is detected from common header names (`auto`).
public struct ProfileDetector: Sendable {
    public var catalog: MappingCatalog

    public init(catalog: MappingCatalog) { self.catalog = catalog }

    public struct Choice: Sendable {
        public var profile: MappingProfile
        /// Why this profile: shown in the summary and stored with the source.
        public var reason: String
    }

    /// `mapping`: the name the user gave, or nil / `auto` to detect one.
    public func choose(mapping: String?, header: [String]) throws -> Choice {
        if let mapping, mapping != "auto" {
            return Choice(profile: try catalog.profile(mapping), reason: "named")
        }
        let present = Set(header.map(ContactField.normalizeHeader))
        var best: (profile: MappingProfile, matched: [String])?
        for name in catalog.names() {
            guard let profile = try? catalog.profile(name), let detect = profile.detect, !detect.isEmpty else { continue }
            guard detect.allSatisfy({ present.contains(ContactField.normalizeHeader($0)) }) else { continue }
            if detect.count > (best?.matched.count ?? 0) { best = (profile, detect) }
        }
        if let best {
            return Choice(profile: best.profile, reason: "detected: the header has " + best.matched.joined(separator: ", "))
        }
        return Choice(profile: .auto, reason: "no known export shape: columns detected from common header names")
    }
}
