import Crypto
import Foundation
import GRDB
import GRDBSQLite
import WamigrateBase

/// `wm_digest(text)`: 16 hex digits of HMAC-SHA256 keyed with the job's salt, NULL for
/// anything but text. Registered through SQLite's C API: the snapshot calls it three times
/// per contact, and GRDB's function wrapper (argument arrays, `DatabaseValue`s, a `String`
/// per call) cost more than the HMAC itself.
final class DigestFunction {
    /// Keyed once and copied per value: keying HMAC for each of a million names cost more
    /// than hashing them.
    let keyed: HMAC<SHA256>

    init(salt: String) { keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(salt.utf8))) }

    /// The digest of `bytes`, as `wm_digest` gives it.
    func digest(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hmac = keyed
        hmac.update(data: bytes)
        return Hex.string(hmac.finalize().prefix(8))
    }

    /// Registers `wm_digest` on `db`'s connection; SQLite releases this object when the
    /// function is replaced or the connection closes.
    func register(_ db: Database) throws {
        let box = Unmanaged.passRetained(self).toOpaque()
        let code = sqlite3_create_function_v2(
            db.sqliteConnection, "wm_digest", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, box,
            { context, _, values in
                guard let context, let value = values?[0], sqlite3_value_type(value) == SQLITE_TEXT,
                    let text = sqlite3_value_text(value)
                else {
                    sqlite3_result_null(context)
                    return
                }
                let function = Unmanaged<DigestFunction>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
                var digest = function.digest(UnsafeBufferPointer(start: text, count: Int(sqlite3_value_bytes(value))))
                digest.withUTF8 { bytes in
                    let start = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
                    sqlite3_result_text(context, start, Int32(bytes.count), DigestFunction.transient)
                }
            }, nil, nil,
            { box in if let box { Unmanaged<DigestFunction>.fromOpaque(box).release() } })
        guard code == SQLITE_OK else {
            throw WamigrateError(
                .store, "could not register wm_digest: SQLite error \(code)", hint: "check the SQLite library (3.31 or newer)")
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the text before the call returns.
    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
