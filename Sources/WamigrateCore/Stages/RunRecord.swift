import Phone
import WamigrateBase
import WamigrateModel

extension PipelineStore {
    /// Starts a run record naming this binary's libphonenumber and the numbering plans in force.
    public func beginRun(command: String, dryRun: Bool, configJSON: String) throws -> Int64 {
        try beginRun(
            command: command, dryRun: dryRun, configJSON: configJSON, phoneLibrary: PhoneMetadata.libraryFile,
            phonePackage: PhoneMetadata.debianPackage,
            phoneMetadata: PhoneMetadata.inForce)
    }
}
