import Crypto
import Foundation
import WamigrateBase

/// Every contact's state at the end of a run, in `run_contacts`; the run-to-run diff compares
/// two such snapshots. The contact's address is stored as it is in `contacts`: the diff masks
/// the few it shows, instead of every run masking every number. Names, emails and WhatsApp ids
/// are kept as digests (`Digest`), the same on every engine for the same job salt.
public enum RunSnapshot {
    /// The fields a diff compares, as `run_contacts` columns. `list` is reported
    /// separately, as a move between outcome lists.
    public static let fields = [
        "reason", "whatsapp", "wa_id_digest", "name_digest", "email_digest", "consent", "consent_at", "language",
        "region", "number_type", "tags", "sources", "row_count",
    ]

    /// A snapshot's digest of a value: the first 8 bytes of HMAC-SHA256 keyed with the job's
    /// salt, in hex. Keyed once and copied per value: keying HMAC for each of a million names
    /// cost more than hashing them.
    public struct Digest {
        private let keyed: HMAC<SHA256>

        public init(salt: String) { keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(salt.utf8))) }

        public func callAsFunction(_ text: String) -> String {
            var text = text
            return text.withUTF8 { self($0) }
        }

        /// The digest of UTF-8 bytes as they are (a value read straight off the wire).
        public func callAsFunction(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            var hmac = keyed
            hmac.update(data: UnsafeRawBufferPointer(bytes))
            return Hex.string(hmac.finalize().prefix(8))
        }
    }
}
