import Foundation
import Hummingbird
import Logging
import NIOCore
import ThreadGuardServing

/// A local fake of the platforms' APIs on 127.0.0.1, speaking their real wire formats. Start it, point a
/// source's `base_url` at `baseURL`, and read what it received from `state.actions`.
public final class SandboxServer: Sendable {
    public let state: SandboxState
    public let baseURL: String
    private let server: ListeningServer

    /// Starts serving `state` on 127.0.0.1:`port` (0 picks a free port) and returns once it is listening.
    public static func start(state: SandboxState, host: String = "127.0.0.1", port: Int = 0, logger: Logger? = nil) async throws -> SandboxServer {
        let logger = logger ?? Logger(label: "threadguard.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        let address = BaseURLBox()
        let router = Router()
        router.get("/_sandbox/actions") { _, _ in
            let actions = await state.actions
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(actions)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        FacebookRoutes.register(on: router, state: state, baseURL: { address.value })
        InstagramRoutes.register(on: router, state: state, baseURL: { address.value })
        XRoutes.register(on: router, state: state)
        YouTubeRoutes.register(on: router, state: state)
        RedditRoutes.register(on: router, state: state)
        MastodonRoutes.register(on: router, state: state, baseURL: { address.value })
        guard let server = await ListeningServer.start(router: router, host: host, port: port, serverName: "threadguard-sandbox", logger: logger) else {
            throw SandboxError.couldNotStart(host: host, port: port)
        }
        address.set("http://\(host):\(server.port)")
        return SandboxServer(state: state, baseURL: address.value, server: server)
    }

    private init(state: SandboxState, baseURL: String, server: ListeningServer) {
        self.state = state
        self.baseURL = baseURL
        self.server = server
    }

    /// Stops serving and waits until the port is closed.
    public func stop() async {
        await server.stop()
    }
}

public enum SandboxError: Error, CustomStringConvertible {
    case couldNotStart(host: String, port: Int)

    public var description: String {
        switch self {
        case .couldNotStart(let host, let port): return "the sandbox could not listen on \(host):\(port); is the port free?"
        }
    }
}

/// The server's address, known only once it is listening.
final class BaseURLBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _value = ""
    var value: String { lock.withLock { _value } }
    func set(_ value: String) { lock.withLock { _value = value } }
}
