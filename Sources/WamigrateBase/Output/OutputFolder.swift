import Foundation

/// The `--out` folder: created when missing, named without a trailing slash.
public enum OutputFolder {
    public static func trimmed(_ directory: String) -> String {
        directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// Creates the folder and returns its trimmed name.
    @discardableResult
    public static func prepare(_ directory: String) throws -> String {
        let folder = trimmed(directory)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WamigrateError(.output, "cannot create the output folder", hint: "check --out", at: .init(file: folder))
        }
        return folder
    }

    /// Writes a small file whole, atomically (a temporary file renamed into place).
    public static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw WamigrateError(
                .output, "cannot write the file", hint: "check the --out folder is writable", at: .init(file: path))
        }
    }
}
