/// Facts fixed when the binary was built.
public enum BuildInfo {
    /// The git commit of the source tree, "-dirty" when it had uncommitted changes.
    public static var revision: String { gitRevision }
}
