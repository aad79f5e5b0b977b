import Foundation
import NIOCore
import NIOPosix
import WamigrateBase

/// A server that cannot listen, said in words: which address, why, what to do.
enum BindFailure {
    static func explain(_ error: Error, host: String, port: Int) -> WamigrateError? {
        let place = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE:
                return WamigrateError(
                    .usage, "cannot listen on \(place): the port is in use",
                    hint: "stop what holds it, or pick another --port (0 picks a free one)")
            case EADDRNOTAVAIL:
                return WamigrateError(
                    .usage, "cannot listen on \(place): \(host) is not an address of this machine",
                    hint: "use 127.0.0.1 (the default), or an address this machine has")
            case EACCES:
                return WamigrateError(
                    .usage, "cannot listen on \(place): ports below 1024 need privileges",
                    hint: "pick a --port from 1024 up (0 picks a free one)")
            default:
                return nil
            }
        }
        if error is SocketAddressError {
            return WamigrateError(
                .usage, "cannot listen on \(place): the host name does not resolve to an address",
                hint: "use 127.0.0.1 (the default), or an address this machine has")
        }
        return nil
    }
}
