import Crypto
import Foundation
import Testing
import WamigrateBase
import WamigrateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to a local server, to behave as no HTTP client would.
final class RawConnection {
    let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ bytes: Data) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    /// Everything the server sends until it closes the connection or `seconds` pass;
    /// `closed` tells which.
    func readUntilClosed(within seconds: Double) -> (data: Data, closed: Bool) {
        var data = Data()
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&poller, 1, left) > 0 else { break }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return (data, true) }
            data.append(contentsOf: buffer[0..<count])
        }
        return (data, false)
    }
}

/// `webhook serve` against connections that idle, stall, overflow, and bodies that are not text.
@Suite("Webhook receiver connections")
struct ReceiverConnectionsEndToEndTests {
    static func port(_ url: String) -> Int {
        Int(url.split(separator: ":").last?.split(separator: "/").first ?? "") ?? 0
    }

    func receiver(_ job: WaveJob, _ extra: [String]) throws -> SandboxProcess {
        try SandboxProcess(
            command: ["webhook", "serve"],
            ["--store", job.store, "--app-secret-env", "WA_APP_SECRET", "--verify-token-env", "WA_VERIFY_TOKEN"] + extra,
            environment: WaveJob.env)
    }

    @Test func idleAndStalledConnectionsAreClosedAndATooLargeBodyClosesItsConnection() throws {
        let job = try WaveJob(count: 2)
        let receiver = try receiver(job, ["--idle-timeout", "1"])
        let port = Self.port(receiver.url)
        let idle = try RawConnection(port: port)
        let stalled = try RawConnection(port: port)
        stalled.send(Data("POST /webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: app".utf8))
        #expect(idle.readUntilClosed(within: 5).closed, "an idle connection is closed")
        #expect(stalled.readUntilClosed(within: 5).closed, "a connection stalled in its headers is closed")

        let large = try RawConnection(port: port)
        large.send(Data("POST /webhook HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10485760\r\n\r\n".utf8))
        large.send(Data(repeating: 0x7B, count: (4 << 20) + 1))
        let answer = large.readUntilClosed(within: 5)
        #expect(String(decoding: answer.data.prefix(12), as: UTF8.self) == "HTTP/1.1 413")
        #expect(answer.closed, "the rest of the body is never read: the connection closes")

        // The receiver still takes genuine posts.
        let body = WebhookEndToEndTests.body(statuses: "")
        #expect(try WaveJob.post(body, to: receiver, signature: WaveJob.signed(body)) == 200)
        _ = receiver.output()
    }

    @Test func connectionsOverTheCapWaitAndAGenuinePostStillGetsThrough() throws {
        let job = try WaveJob(count: 2)
        let receiver = try receiver(job, ["--idle-timeout", "1", "--max-connections", "8"])
        let port = Self.port(receiver.url)
        let hogs = try (0..<40).map { _ in try RawConnection(port: port) }
        let body = WebhookEndToEndTests.body(statuses: "")
        let started = Date()
        #expect(try WaveJob.post(body, to: receiver, signature: WaveJob.signed(body)) == 200)
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(hogs.allSatisfy { $0.readUntilClosed(within: 10).closed })
        _ = receiver.output()
    }

    @Test func aSignedBodyIsKeptByteForByteOrRefusedNeverRewritten() throws {
        let job = try WaveJob(count: 2)
        let receiver = try receiver(job, [])
        // Invalid UTF-8 and a NUL inside: signed, so the receiver must keep exactly these bytes.
        var body = Data(#"{"object":"whatsapp_business_account","entry":[{"note":""#.utf8)
        body.append(contentsOf: [0xC3, 0x28, 0x00, 0xFF, 0x41])
        body.append(Data(#""}]}"#.utf8))
        let signature = WebhookSignature.header(body: body, secret: Data("sandbox-app-secret".utf8))
        let status = try receiver.request(body: body, headers: [("X-Hub-Signature-256", signature)]).status
        #expect(status == 200)
        #expect(try JobReader(job.store).spooled() == 1)
        _ = receiver.output()
        // The job takes it in as the same bytes, and as nothing it can read.
        let ingest = try Binary.run(
            ["webhook", "ingest", "--store", job.store, "--json"], environment: WaveJob.env)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        // Spooled, drained and kept: the same bytes all the way (the spool's own keeping is a store test).
        #expect(try JobReader(job.store).store.inboxBodies().map(\.body) == [body])
    }

    @Test func aPortInUseOrAnAddressNotHereIsAClearUsageError() throws {
        let job = try WaveJob(count: 2)
        let first = try receiver(job, [])
        let other = job.folder.file("other.sqlite")
        let taken = try Binary.run(
            [
                "webhook", "serve", "--store", other, "--port", String(Self.port(first.url)), "--app-secret-env",
                "WA_APP_SECRET", "--verify-token-env", "WA_VERIFY_TOKEN",
            ], environment: WaveJob.env)
        #expect(taken.status == 64)
        #expect(taken.stderr.contains("E_USAGE: cannot listen on 127.0.0.1:\(Self.port(first.url)): the port is in use"))
        let elsewhere = try Binary.run(
            [
                "webhook", "serve", "--store", other, "--host", "192.0.2.1", "--app-secret-env", "WA_APP_SECRET",
                "--verify-token-env", "WA_VERIFY_TOKEN",
            ], environment: WaveJob.env)
        #expect(elsewhere.status == 64)
        #expect(elsewhere.stderr.contains("192.0.2.1 is not an address of this machine"), "\(elsewhere.stderr)")
        let sandbox = try Binary.run(["sandbox", "--port", String(Self.port(first.url))])
        #expect(sandbox.status == 64 && sandbox.stderr.contains("the port is in use"), "\(sandbox.stderr)")
        _ = first.output()
    }
}
