import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The last outbound say on a served connection, placed after HTTP decoding:
/// - a response that carries `Connection: close` (a refused body: 413, 400) is written
///   whole, then the connection closes, so an unread remainder is never read;
/// - a response marked with `ResponseGate.dropHeader` is not written at all and the
///   connection closes: the sandbox's "taken, then no answer" fault.
final class ResponseGate: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A handler sets this header on a response to have it dropped with the connection.
    static let dropHeader = HTTPField.Name("X-Wamigrate-Drop")!

    private enum Mode { case pass, closeAfterEnd, drop }
    private var mode = Mode.pass

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        if case .head(let head) = part {
            if head.headerFields[Self.dropHeader] != nil {
                mode = .drop
            } else if head.headerFields[.connection]?.lowercased() == "close" {
                mode = .closeAfterEnd
            } else {
                mode = .pass
            }
        }
        switch (mode, part) {
        case (.drop, .end):
            promise?.succeed()
            context.close(promise: nil)
        case (.drop, _):
            promise?.succeed()
        case (.closeAfterEnd, .end):
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        default:
            context.write(data, promise: promise)
        }
    }
}
