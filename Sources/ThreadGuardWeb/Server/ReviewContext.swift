import Hummingbird
import NIOCore

/// The review app's request context: Hummingbird's basic one plus the address the request came from (sign-in
/// throttling and the log of failed sign-ins need it).
public struct ReviewContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text ("unknown" when the channel has none).
    public var peer: String { remoteAddress?.ipAddress ?? "unknown" }
}

/// Wraps the router so that every answer carries the security headers: also the ones the router never sees as a
/// route (404 for unknown paths, HEAD and OPTIONS requests, errors thrown by handlers).
struct SecuredResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == ReviewContext {
    let inner: Inner

    func respond(to request: Request, context: ReviewContext) async throws -> Response {
        var response: Response
        do {
            response = try await inner.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            // An unexpected error: a plain 500 without its description (which might quote stored data).
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error.type": "\(type(of: error))"])
            response = Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "Something went wrong; the error is in the server's log.\n")))
        }
        SecurityHeaders.apply(to: &response, path: request.uri.path)
        return response
    }
}
