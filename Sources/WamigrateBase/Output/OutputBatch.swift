import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files one run writes into `--out`, published as a set: every file is written
/// complete under a `.partial` name first, and only when all are complete are they
/// renamed into place, `summary.json` last (it names the run). A run that fails
/// before that leaves the folder as the previous run left it; `.publishing` marks the
/// short window of renames, so a folder caught mid-way says so.
public final class OutputBatch: @unchecked Sendable {
    public let folder: String
    private var staged: [(temporary: String, path: String)] = []

    private static let registry = NSLock()
    nonisolated(unsafe) private static var batches: [String: OutputBatch] = [:]

    /// Opens the batch for `folder`: until `publish` or `discard`, output files written
    /// there wait to be published together.
    public static func begin(folder: String) -> OutputBatch {
        let batch = OutputBatch(folder: OutputFolder.trimmed(folder))
        registry.lock()
        batches[canonical(batch.folder)] = batch
        registry.unlock()
        return batch
    }

    public init(folder: String) { self.folder = folder }

    public static func canonical(_ folder: String) -> String {
        URL(fileURLWithPath: folder).standardizedFileURL.path
    }

    static func open(for file: String) -> OutputBatch? {
        let folder = canonical((file as NSString).deletingLastPathComponent)
        registry.lock()
        defer { registry.unlock() }
        return batches[folder]
    }

    public func stage(_ temporary: String, as path: String) {
        Self.registry.lock()
        staged.removeAll { $0.path == path }
        staged.append((temporary, path))
        Self.registry.unlock()
    }

    /// Writes `data` as one more file of the set.
    public func add(_ data: Data, as name: String) throws {
        let path = folder + "/" + name
        try AtomicFile.refuseDirectory(path)
        let temporary = path + ".partial"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            unlink(temporary)
            throw WamigrateError(
                .output, "cannot write the file: \(error.localizedDescription)", hint: "check the --out folder",
                at: .init(file: path))
        }
        stage(temporary, as: path)
    }

    /// Renames every staged file into place, `summary.json` last.
    public func publish() throws {
        close()
        let marker = folder + "/.publishing"
        _ = FileManager.default.createFile(atPath: marker, contents: Data("publishing\n".utf8))
        let ordered = staged.filter { !$0.path.hasSuffix("/summary.json") } + staged.filter { $0.path.hasSuffix("/summary.json") }
        for file in ordered { try AtomicFile.publish(file.temporary, as: file.path) }
        unlink(marker)
        staged = []
    }

    /// Drops the staged files: the folder keeps what the previous run published.
    public func discard() {
        close()
        for file in staged { unlink(file.temporary) }
        staged = []
    }

    private func close() {
        Self.registry.lock()
        if Self.batches[Self.canonical(folder)] === self { Self.batches[Self.canonical(folder)] = nil }
        Self.registry.unlock()
    }
}
