import Foundation
import WamigrateBase

#if canImport(Glibc)
    import Glibc
#endif

/// One writer per store: an exclusive `flock` on `<store>.lock`, held for the whole
/// command. The kernel releases it when the process ends, even by SIGKILL, so a lock
/// file left behind by a crash is harmless: the next writer simply takes it. The file
/// names the holder (pid, command, start) for the error a second writer gets.
/// Readers (`status`, `report`, `trace`, `diff`) take no lock: SQLite's WAL lets them
/// read while a writer works.
public final class StoreLock {
    public let path: String
    private let descriptor: Int32

    private static let registry = NSLock()
    /// Locks this process holds, by lock path: a second store object on the same file
    /// in one process shares the lock instead of blocking on itself.
    nonisolated(unsafe) private static var held: [String: (lock: StoreLock, count: Int)] = [:]

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    public static func lockPath(forStore store: String) -> String { store + ".lock" }

    /// The command name of a holder that keeps the lock only briefly (others wait for it).
    public static let briefHolder = StoreLockWords.briefHolder

    /// Takes the store's writer lock, or throws `E_STORE_BUSY` naming the holder.
    public static func acquire(store: String, command: String) throws -> StoreLock {
        let path = lockPath(forStore: store)
        registry.lock()
        defer { registry.unlock() }
        if let entry = held[path] {
            held[path] = (entry.lock, entry.count + 1)
            return entry.lock
        }
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw WamigrateError(
                .store, "cannot create the store's lock file: \(String(cString: strerror(errno)))",
                hint: "check that the folder of --store is writable", at: .init(file: path))
        }
        // The webhook receiver holds a job store only for moments (to process what it
        // spooled): a command that finds it there waits for it instead of failing. An empty
        // note is a holder between taking the lock and naming itself, or releasing it.
        let started = Date()
        let deadline = started.addingTimeInterval(30)
        var said = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0, Date() < deadline,
            let holder = try? String(contentsOfFile: path, encoding: .utf8),
            holder.isEmpty || holder.contains(Self.briefHolder)
        {
            if !said, Date().timeIntervalSince(started) > 1 {
                FileHandle.standardError.write(
                    Data("wamigrate: waiting for the store (the webhook receiver is processing; at most 30 s)\n".utf8))
                said = true
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder =
                (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw WamigrateError(
                .storeBusy,
                "another wamigrate command is writing this store"
                    + (holder.isEmpty ? "" : ": " + Terminal.printable(holder).replacingOccurrences(of: "\n", with: ", ")),
                hint: "wait for it to finish (status, report and trace can read the store meanwhile); "
                    + "a killed command releases the lock when it dies",
                at: .init(file: store))
        }
        let note = "pid \(getpid())\ncommand \(command)\nsince \(Clock.isoNow())\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        let lock = StoreLock(path: path, descriptor: descriptor)
        held[path] = (lock, 1)
        return lock
    }

    /// Gives back one hold; the last one unlocks.
    public func release() {
        Self.registry.lock()
        defer { Self.registry.unlock() }
        guard let entry = Self.held[path] else { return }
        if entry.count > 1 {
            Self.held[path] = (entry.lock, entry.count - 1)
            return
        }
        Self.held[path] = nil
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
