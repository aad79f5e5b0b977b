import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// Draws `stage: done/total unit · rate/s · ETA` on one stderr line, only when
/// stderr is a terminal; silent otherwise (logs and pipes stay clean).
final class TerminalProgress: ProgressSink, @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastDrawn = Date.distantPast

    func update(_ stage: String, done: Int, total: Int, unit: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let start = started[stage] ?? now
        started[stage] = start
        guard done == total || now.timeIntervalSince(lastDrawn) >= 0.2 else { return }
        lastDrawn = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = String(
            format: "\r%@: %d/%d %@ · %.1f %@/s · ETA %d:%02d  ", stage, done, total, unit, rate, unit, Int(eta) / 60,
            Int(eta) % 60)
        Stderr.write(line)
    }

    func finish(_ stage: String) {
        guard enabled else { return }
        Stderr.write("\n")
    }
}
