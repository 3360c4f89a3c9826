import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird server on 127.0.0.1 (port 0) with the endpoints the client tests need.
final class TestServer: Sendable {
    let baseURL: String
    let tracker: InFlightTracker
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    static let gzipBody = Data(base64Encoded: "H4sIAAAAAAACA6tWyk0tLk5MT1WyUlDKSM3JyVdIK8rPVUhUSK/KLFBIyk+pVKqtHlU0qmjoKgIAn4+EPOQCAAA=")!
    static let gzipPlain = String(repeating: "{\"message\": \"hello from a gzip body\"}", count: 20)

    static func start() async throws -> TestServer {
        let tracker = InFlightTracker()
        let router = Router()
        router.get("/slow") { request, _ in
            let ms = request.uri.queryParameters.get("ms").flatMap { Int($0) } ?? 300
            await tracker.enter()
            try await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
            await tracker.leave()
            return "slept \(ms)"
        }
        router.get("/big") { request, _ in
            let bytes = request.uri.queryParameters.get("bytes").flatMap { Int($0) } ?? 1024
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: bytes)))
        }
        router.get("/gzip") { _, _ in
            Response(status: .ok, headers: [.contentEncoding: "gzip", .contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: gzipBody)))
        }
        router.on("/echo", method: .post) { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: HTTPFields = [:]
            headers[HTTPField.Name("X-Echo-Method")!] = request.method.rawValue
            headers[HTTPField.Name("X-Echo-Custom")!] = request.headers[HTTPField.Name("X-Custom")!] ?? ""
            headers[HTTPField.Name("X-Echo-Type")!] = request.headers[.contentType] ?? ""
            return Response(status: .created, headers: headers, body: ResponseBody(byteBuffer: body))
        }
        router.get("/status/:code") { _, context in
            let code = context.parameters.get("code").flatMap { Int($0) } ?? 500
            return Response(status: .init(code: code), headers: [.retryAfter: "7"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"error\": true}")))
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let logger = Logger(label: "test-server", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let runner = Task { try await group.run() }
        var port = 0
        for await value in stream { port = value }
        return TestServer(baseURL: "http://127.0.0.1:\(port)", tracker: tracker, group: group, runner: runner)
    }

    private init(baseURL: String, tracker: InFlightTracker, group: ServiceGroup, runner: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.tracker = tracker
        self.group = group
        self.runner = runner
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
    }
}

/// Counts requests in flight at the server, and the most seen at once.
actor InFlightTracker {
    private(set) var current = 0
    private(set) var peak = 0
    func enter() {
        current += 1
        peak = max(peak, current)
    }
    func leave() { current -= 1 }
}
