import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `threadguard serve`: the review app on a host and port (0 picks a free one).
public final class ReviewServer: Sendable {
    public let baseURL: String
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    public static func start(app: ReviewApp, host: String = "127.0.0.1", port: Int = 0, logger: Logger) async throws -> ReviewServer {
        let router = Router()
        app.register(on: router)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "threadguard"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let runner = Task { try await group.run() }
        var bound = 0
        for await value in stream { bound = value }
        guard bound > 0 else {
            runner.cancel()
            throw ReviewServerError.couldNotStart(host: host, port: port)
        }
        return ReviewServer(baseURL: "http://\(host):\(bound)", group: group, runner: runner)
    }

    private init(baseURL: String, group: ServiceGroup, runner: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.group = group
        self.runner = runner
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
    }

    /// Runs until the task is cancelled (Ctrl-C ends the process).
    public func wait() async {
        _ = try? await runner.value
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
