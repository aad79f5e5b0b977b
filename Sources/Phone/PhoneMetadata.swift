import CPhoneNumber
import Foundation

/// Facts about the libphonenumber build in use and the numbering plans it runs on, for
/// `--version`, the run manifest and the report.
public enum PhoneMetadata {
    /// File name of the loaded shared object, e.g. "libphonenumber.so.8.12".
    public static let libraryFile: String = read { wm_phone_library_file($0, $1) }

    /// A fingerprint of the metadata in force: changes whenever results can.
    public static let fingerprint: String = read { wm_phone_metadata_fingerprint($0, $1) }

    /// The numbering-plan metadata shipped with the tool ("9.0.43"), which the library
    /// runs on instead of its built-in plans (`MetadataSelfCheck` proves it is in force).
    public static let shippedVersion = String(cString: wm_phone_metadata_version())

    /// Where the shipped metadata was generated from: package, version and digest.
    public static let shippedSource = String(cString: wm_phone_metadata_source())

    /// What the manifest and `--version` print: the shipped version when the self-check
    /// finds it in force, else what the library runs on instead.
    public static var metadataVersion: String {
        MetadataSelfCheck.result.inForce
            ? "\(shippedVersion) (\(shippedSource))" : "NOT IN FORCE: built-in plans of \(libraryFile)"
    }

    /// The plans in force and their fingerprint, as runs and manifests record them:
    /// "9.0.43 (phonenumbers 9.0.43 (PyPI), sha256 …), fingerprint 1a2b…".
    public static var inForce: String { "\(metadataVersion), fingerprint \(fingerprint)" }

    /// 1 when libphonenumber has metadata for this ISO 3166 alpha-2 region.
    public static func isSupportedRegion(_ region: String) -> Bool {
        wm_phone_is_supported_region(region) != 0
    }

    public static func countryCode(forRegion region: String) -> Int {
        Int(wm_phone_country_code_for_region(region))
    }

    /// The trunk prefix a national number is dialled with ("0" in DE, "1" in US, "" in IT).
    public static func nationalPrefix(forRegion region: String) -> String {
        read { buffer, capacity in region.withCString { wm_phone_national_prefix($0, buffer, capacity) } }
    }

    /// The main region of a calling code ("DE" for 49, "US" for 1); nil when the code
    /// is unknown or not geographic.
    public static func region(forCountryCode code: Int) -> String? {
        guard code > 0, code < 1000 else { return nil }
        let region = read { wm_phone_region_for_country_code(Int32(code), $0, $1) }
        return region.count == 2 && region != "ZZ" ? region : nil
    }

    private static func read(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension PhoneMetadata {
    /// `dpkg-query`'s version of the package that ships the loaded library, or "unknown".
    public static let debianPackage: String = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg-query")
        process.arguments = ["-W", "-f", "${Package} ${Version}\\n", "libphonenumber[0-9]*"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
                .filter { !$0.contains("-dev") && $0.split(separator: " ").count == 2 }
            return lines.first.map(String.init) ?? "unknown"
        } catch {
            return "unknown"
        }
    }()
}
