import Phone
import WamigrateBase
import WamigrateStore

extension JobStore {
    /// Starts a run record naming this binary's libphonenumber and its metadata.
    public func beginRun(command: String, dryRun: Bool, configJSON: String) throws -> Int64 {
        try beginRun(
            command: command, dryRun: dryRun, configJSON: configJSON, phoneLibrary: PhoneMetadata.libraryFile,
            phoneMetadata: PhoneMetadata.fingerprint)
    }
}
