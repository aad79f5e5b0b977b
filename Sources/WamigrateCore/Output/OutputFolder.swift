import Foundation

/// The `--out` folder: created when missing, named without a trailing slash.
enum OutputFolder {
    static func trimmed(_ directory: String) -> String {
        directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// Creates the folder and returns its trimmed name.
    @discardableResult
    static func prepare(_ directory: String) throws -> String {
        let folder = trimmed(directory)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WamigrateError(.output, "cannot create the output folder", hint: "check --out", at: .init(file: folder))
        }
        return folder
    }
}
