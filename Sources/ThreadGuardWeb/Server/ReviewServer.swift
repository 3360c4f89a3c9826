import Foundation
import Hummingbird
import Logging
import NIOCore
import ThreadGuardServing

/// `threadguard serve`: the review app on a host and port (0 picks a free one).
public final class ReviewServer: Sendable {
    public let baseURL: String
    private let server: ListeningServer

    /// `idleTimeout`: a connection that sends nothing for this long, or never finishes its headers, is closed.
    public static func start(app: ReviewApp, host: String = "127.0.0.1", port: Int = 0, idleTimeout: TimeAmount = .seconds(30),
                             logger: Logger) async throws -> ReviewServer {
        let router = Router(context: ReviewContext.self)
        app.register(on: router)
        guard let server = await ListeningServer.start(responder: SecuredResponder(inner: router.buildResponder()), host: host, port: port,
                                                       serverName: "threadguard", logger: logger, idleTimeout: idleTimeout) else {
            throw ReviewServerError.couldNotStart(host: host, port: port)
        }
        return ReviewServer(baseURL: "http://\(host):\(server.port)", server: server)
    }

    private init(baseURL: String, server: ListeningServer) {
        self.baseURL = baseURL
        self.server = server
    }

    public func stop() async {
        await server.stop()
    }

    /// Runs until the task is cancelled (Ctrl-C ends the process).
    public func wait() async {
        await server.wait()
    }
}

public enum ReviewServerError: Error, CustomStringConvertible {
    case couldNotStart(host: String, port: Int)

    public var description: String {
        switch self {
        case .couldNotStart(let host, let port): return "the review page could not listen on \(host):\(port); is the port free?"
        }
    }
}
