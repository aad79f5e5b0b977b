import BuildInfo
import Foundation

/// Wall-clock time for run records. The one place that reads it.
public enum Clock {
    public static func isoNow() -> String {
        ISOTime.string(unixNow())
    }

    public static func unixNow() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// The tool's version, recorded on every run.
public enum ToolVersion {
    public static let current = "0.1.0"
    /// The git commit the binary was built from (see the GitRevision plugin).
    public static let revision = BuildInfo.revision
}
