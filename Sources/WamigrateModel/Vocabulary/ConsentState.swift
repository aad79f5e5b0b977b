/// A row's consent as the export states it.
public enum ConsentState: String, Codable, Sendable {
    case optedIn = "opted_in"
    case optedOut = "opted_out"
    case unknown
}
