import Foundation
import Phone
import WamigrateBase
import WamigrateModel

/// The maskers commands use, with libphonenumber's grouping for the visible prefix.
extension Masker {
    public static let masked = Masker(mode: .masked, key: nil, visiblePrefix: { PhoneMask.visiblePrefix($0) })
    public static let unmasked = Masker(mode: .unmasked, key: nil, visiblePrefix: { PhoneMask.visiblePrefix($0) })

    /// Numbers become `hmac:` and the first 16 hex digits of HMAC-SHA256(key, E.164).
    public static func keyed(_ key: String) -> Masker {
        Masker(mode: .keyed, key: Data(key.utf8), visiblePrefix: { PhoneMask.visiblePrefix($0) })
    }

    /// The masker a command asked for: `--unmasked`, `--hash-key-env NAME`, or the default.
    public static func from(unmasked: Bool, hashKeyEnv: String?) throws -> Masker {
        if let name = hashKeyEnv {
            guard !unmasked else {
                throw WamigrateError(.usage, "--unmasked and --hash-key-env exclude each other", hint: "pick one")
            }
            guard let key = ProcessInfo.processInfo.environment[name], key.count >= 16 else {
                throw WamigrateError(
                    .usage, "environment variable \(name) is not set or shorter than 16 characters",
                    hint: "export \(name) with a random key of at least 16 characters (e.g. `openssl rand -hex 32`)")
            }
            return .keyed(key)
        }
        return unmasked ? .unmasked : .masked
    }
}
