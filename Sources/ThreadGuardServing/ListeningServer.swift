import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird application listening on a host and port, as the review page and the platform sandbox both
/// run one: start it (port 0 picks a free port) and get it back once it listens, stop it gracefully, or wait
/// until it ends.
public final class ListeningServer: Sendable {
    /// The port it listens on (the one picked, when asked for 0).
    public let port: Int
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    /// The server once it listens; nil when it cannot listen on `host`:`port` (the port is taken, the address is not
    /// this machine's): the start returns as soon as the bind fails.
    public static func start(router: Router<BasicRequestContext>, host: String, port: Int, serverName: String, logger: Logger,
                             idleTimeout: TimeAmount? = nil) async -> ListeningServer? {
        await start(responder: router.buildResponder(), host: host, port: port, serverName: serverName, logger: logger, idleTimeout: idleTimeout)
    }

    /// `idleTimeout`: a connection that sends nothing (not even the rest of its headers) for this long is closed.
    public static func start<Responder: HTTPResponder>(responder: Responder, host: String, port: Int, serverName: String, logger: Logger,
                                                       idleTimeout: TimeAmount? = nil) async -> ListeningServer?
    where Responder.Context: RequestContext, Responder.Context.Source == ApplicationRequestContextSource {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            responder: responder, server: .http1(configuration: .init(idleTimeout: idleTimeout)),
            configuration: .init(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let runner = Task {
            // A server that cannot bind ends here at once: the waiting start learns of it instead of hanging.
            defer { continuation.finish() }
            try await group.run()
        }
        var bound = 0
        for await value in stream { bound = value }
        guard bound > 0 else {
            runner.cancel()
            return nil
        }
        return ListeningServer(port: bound, group: group, runner: runner)
    }

    private init(port: Int, group: ServiceGroup, runner: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.runner = runner
    }

    /// Stops serving and waits until the port is closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
    }

    /// Runs until the task is cancelled.
    public func wait() async {
        _ = try? await runner.value
    }
}
