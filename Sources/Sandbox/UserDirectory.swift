import Foundation

/// The business-scoped user ids (BSUIDs) the sandbox's users have: one per wa_id, derived
/// from the seed so it is the same in every run (`ZZ.` and base 36), and remembered so a
/// send to that BSUID (`recipient`, contracts §9.2) reaches the same user. A BSUID the
/// sandbox did not hand out belongs to a user whose number it never sees.
final class UserDirectory: @unchecked Sendable {
    private let lock = NSLock()
    private let seed: UInt64
    private var numbers: [String: String] = [:]

    init(seed: UInt64) { self.seed = seed }

    func userID(waID: String) -> String {
        let id = "ZZ." + String(Mix.hash(seed ^ 0xB5, UInt64(waID) ?? 0), radix: 36).uppercased()
        lock.lock()
        numbers[id] = waID
        lock.unlock()
        return id
    }

    /// The wa_id behind a BSUID the sandbox handed out.
    func waID(userID: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return numbers[userID]
    }

    /// An ISO country code, `.`, up to 128 letters and digits; a parent BSUID has `ENT.` after
    /// the country (contracts §8.6).
    static func isBSUID(_ text: String) -> Bool {
        var parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 3 && parts[1] == "ENT") else { return false }
        let country = parts.removeFirst()
        let id = parts.removeLast()
        return country.count == 2 && country.allSatisfy { $0.isASCII && $0.isUppercase } && (1...128).contains(id.count)
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// The profile name a status names the user by (the sandbox knows no real names).
    static func profileName(_ key: String) -> String { "Sandbox User \(key.suffix(4))" }
}
