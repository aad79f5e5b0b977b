/// WhatsApp's template language codes (contracts.md §2.6) and the mapping from
/// the tags legacy exports use (`en-US`, `pt`, `German`) to them.
public enum LanguageCodes {
    /// The 69-code base list plus the extended locales.
    public static let supported: Set<String> = Set(
        """
        af sq ar az bn bg ca zh_CN zh_HK zh_TW hr cs da nl en en_GB en_US et fil fi fr ka de el gu ha he hi hu id ga \
        it ja kn kk rw_RW ko ky_KG lo lv lt mk ms ml mr nb fa pl pt_BR pt_PT pa ro ru sr sk sl es es_AR es_ES es_MX \
        sw sv ta te th tr uk ur uz vi zu \
        ar_EG ar_AE ar_LB ar_MA ar_QA be_BY bn_IN de_AT de_CH en_AE en_AU en_CA en_GH en_IE en_IN en_JM en_MY en_NZ \
        en_QA en_SG en_UG en_ZA es_CL es_CO es_CR es_DO es_EC es_HN es_PA es_PE es_UY fr_BE fr_CA fr_CH fr_CI fr_MA \
        nl_BE prs_AF ps_AF si_LK
        """.split(separator: " ").map(String.init))

    /// A base language WhatsApp only knows with a region.
    static let regionDefaults = ["pt": "pt_BR", "zh": "zh_CN", "rw": "rw_RW", "ky": "ky_KG", "no": "nb", "iw": "he", "tl": "fil"]

    /// English names legacy tools write instead of codes.
    static let names = [
        "english": "en", "german": "de", "deutsch": "de", "french": "fr", "francais": "fr", "spanish": "es",
        "espanol": "es", "portuguese": "pt_BR", "italian": "it", "dutch": "nl", "polish": "pl", "russian": "ru",
        "ukrainian": "uk", "turkish": "tr", "arabic": "ar", "hindi": "hi", "indonesian": "id",
    ]

    public enum Mapping: Equatable, Sendable {
        /// The tag is already a WhatsApp code.
        case exact(String)
        /// Mapped, with the reason a report should show.
        case mapped(String, reason: String)
        case unknown

        /// The WhatsApp code, or the tag itself when there is none.
        public func code(or tag: String) -> String {
            switch self {
            case .exact(let code), .mapped(let code, _): code
            case .unknown: tag
            }
        }
    }

    /// Maps a legacy language tag to a WhatsApp template language code.
    public static func map(_ tag: String) -> Mapping {
        let trimmed = tag.trimmingCharacters(in: .whitespaces)
        if supported.contains(trimmed) { return .exact(trimmed) }
        let parts = trimmed.replacingOccurrences(of: "-", with: "_").split(separator: "_").map(String.init)
        guard let first = parts.first, !first.isEmpty else { return .unknown }
        let base = first.lowercased()
        if let named = names[base] { return .mapped(named, reason: "language name '\(trimmed)' written as code \(named)") }
        let region = parts.count > 1 ? parts[1] : nil
        if let region {
            let code = "\(base)_\(region.uppercased())"
            if supported.contains(code) {
                return code == trimmed ? .exact(code) : .mapped(code, reason: "'\(trimmed)' written as \(code)")
            }
        }
        if supported.contains(base) {
            let why =
                region == nil
                ? "'\(trimmed)' written as \(base)" : "WhatsApp has no \(base)_\(region!.uppercased()); used \(base)"
            return base == trimmed ? .exact(base) : .mapped(base, reason: why)
        }
        if let code = regionDefaults[base] {
            return .mapped(code, reason: "WhatsApp has no plain '\(base)'; used \(code)")
        }
        return .unknown
    }
}
