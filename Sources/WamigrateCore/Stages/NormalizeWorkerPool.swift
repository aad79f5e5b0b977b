import Foundation
import Phone
import WamigrateBase

#if canImport(Glibc)
    import Glibc
#endif

/// The parent side of normalize's worker processes: one child per part, started
/// from this same binary, each fed a batch at a time over its pipes. A child that
/// dies or answers nonsense fails the stage with `E_WORKER`; normalize writes in
/// one transaction, so nothing of it is kept and the command can simply be re-run.
final class NormalizeWorkerPool: @unchecked Sendable {
    /// A class: each part's thread updates only its own child's counts.
    private final class Child {
        let process: Process
        let toChild: FileHandle
        let fromChild: FileHandle
        var libraryCalls = 0
        var cacheHits = 0

        init(process: Process, toChild: FileHandle, fromChild: FileHandle) {
            self.process = process
            self.toChild = toChild
            self.fromChild = fromChild
        }
    }

    private var children: [Child] = []
    private var batches = 0

    var count: Int { children.count }
    var libraryCalls: Int { children.reduce(0) { $0 + $1.libraryCalls } }
    var cacheHits: Int { children.reduce(0) { $0 + $1.cacheHits } }

    init(executable: String, count: Int) throws {
        // A child that died must surface as a failed write, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        for _ in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["normalize-worker"]
            let toChild = Pipe()
            let fromChild = Pipe()
            process.standardInput = toChild
            process.standardOutput = fromChild
            do {
                try process.run()
            } catch {
                shutdown()
                throw WamigrateError(
                    .worker, "could not start a normalize worker process (\(executable)): \(error.localizedDescription)",
                    hint: "check that the wamigrate binary is still where it was started from")
            }
            children.append(
                Child(process: process, toChild: toChild.fileHandleForWriting, fromChild: fromChild.fileHandleForReading))
            // The parent keeps only its own ends open.
            try? toChild.fileHandleForReading.close()
            try? fromChild.fileHandleForWriting.close()
        }
    }

    deinit { shutdown() }

    /// Sends one part of a batch to child `part` and waits for its answer. Different
    /// parts may be called from different threads at once.
    func normalize(_ requests: [NormalizeWire.Request], part: Int) throws -> [NormalizedPhone] {
        let child = children[part]
        do {
            try NormalizeWire.writeFrame(child.toChild.fileDescriptor, NormalizeWire.encode(requests))
            guard let payload = try NormalizeWire.readFrame(child.fromChild.fileDescriptor) else {
                throw NormalizeWire.PipeClosed()
            }
            let answer = try NormalizeWire.decodeAnswer(payload)
            guard answer.phones.count == requests.count else { throw ByteReader.Malformed() }
            child.libraryCalls = answer.libraryCalls
            child.cacheHits = answer.cacheHits
            return answer.phones
        } catch is ByteReader.Malformed {
            child.process.terminate()
            throw failure(part, "answered with a malformed frame")
        } catch {
            throw failure(part, Self.describeEnd(child.process))
        }
    }

    private func failure(_ part: Int, _ what: String) -> WamigrateError {
        WamigrateError(
            .worker, "normalize worker \(part + 1) of \(children.count) \(what); normalize stopped and kept nothing",
            hint:
                "run the command again: normalize starts over (look for memory pressure or a killed process if it repeats)"
        )
    }

    /// How a child ended, once its pipe closed.
    private static func describeEnd(_ process: Process) -> String {
        for _ in 0..<100 where process.isRunning { usleep(10_000) }
        guard !process.isRunning else { return "stopped answering" }
        switch process.terminationReason {
        case .uncaughtSignal: return "was killed by signal \(process.terminationStatus)"
        default: return "exited with status \(process.terminationStatus)"
        }
    }

    /// Closes the children's input (they exit at its end) and reaps them; one that
    /// has not ended within two seconds is terminated.
    func shutdown() {
        for child in children {
            try? child.toChild.close()
            try? child.fromChild.close()
        }
        for child in children {
            for _ in 0..<200 where child.process.isRunning { usleep(10_000) }
            if child.process.isRunning { child.process.terminate() }
            child.process.waitUntilExit()
        }
        children.removeAll()
    }
}
