import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A local fake of the platforms' APIs on 127.0.0.1, speaking their real wire formats. Start it, point a
/// source's `base_url` at `baseURL`, and read what it received from `state.actions`.
public final class SandboxServer: Sendable {
    public let state: SandboxState
    public let baseURL: String
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

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
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "threadguard-sandbox"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let runner = Task { try await group.run() }
        var boundPort = 0
        for await value in stream { boundPort = value }
        guard boundPort > 0 else {
            runner.cancel()
            throw SandboxError.couldNotStart(host: host, port: port)
        }
        address.set("http://\(host):\(boundPort)")
        return SandboxServer(state: state, baseURL: address.value, group: group, runner: runner)
    }

    private init(state: SandboxState, baseURL: String, group: ServiceGroup, runner: Task<Void, any Error>) {
        self.state = state
        self.baseURL = baseURL
        self.group = group
        self.runner = runner
    }

    /// Stops serving and waits until the port is closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
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
