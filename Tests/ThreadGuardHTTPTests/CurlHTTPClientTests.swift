import Foundation
import Testing
@testable import ThreadGuardHTTP

@Suite("libcurl client against a local server", .serialized)
struct CurlHTTPClientTests {
    @Test("six slow requests from six tasks are in flight at the server at the same time")
    func concurrentRequestsOverlap() async throws {
        let server = try await TestServer.start()
        let client = CurlHTTPClient()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask { try await client.send(OutgoingRequest(url: server.baseURL + "/slow?ms=300")).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let peak = await server.tracker.peak
        client.shutdown()
        await server.stop()
        #expect(statuses == Array(repeating: 200, count: 6))
        #expect(peak == 6, "the multi interface should run all six transfers at once, the server saw \(peak)")
    }

    @Test("a request slower than the total timeout fails with timedOut")
    func totalTimeout() async throws {
        let server = try await TestServer.start()
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(totalTimeoutMilliseconds: 200))
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: server.baseURL + "/slow?ms=2000"))
        }
        client.shutdown()
        await server.stop()
        guard case .timedOut(let host, let ms)? = error else { Issue.record("expected timedOut, got \(String(describing: error))"); return }
        #expect(host.hasPrefix("127.0.0.1:"))
        #expect(ms == 200)
    }

    @Test("a body over the size cap fails with tooLarge, one under it arrives whole")
    func responseSizeCap() async throws {
        let server = try await TestServer.start()
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxResponseBytes: 64 * 1024))
        let small = try await client.send(OutgoingRequest(url: server.baseURL + "/big?bytes=65536"))
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: server.baseURL + "/big?bytes=2000000"))
        }
        client.shutdown()
        await server.stop()
        #expect(small.body.count == 65536)
        #expect(error == .tooLarge(host: String(server.baseURL.dropFirst(7)), limitBytes: 65536))
        #expect(error?.description.contains("65536-byte limit") == true)
    }

    @Test("the default cap is 10 MiB")
    func defaultCap() {
        #expect(HTTPClientConfiguration().maxResponseBytes == 10 * 1024 * 1024)
    }

    @Test("a refused connection fails with cannotConnect naming the host")
    func refusedConnection() async throws {
        let server = try await TestServer.start()
        let url = server.baseURL
        await server.stop()  // the port is now closed
        let client = CurlHTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: url + "/slow"))
        }
        client.shutdown()
        guard case .cannotConnect(let host, _)? = error else { Issue.record("expected cannotConnect, got \(String(describing: error))"); return }
        #expect(url.hasSuffix(host))
    }

    @Test("gzip bodies are decoded")
    func gzip() async throws {
        let server = try await TestServer.start()
        let client = CurlHTTPClient()
        let response = try await client.send(OutgoingRequest(url: server.baseURL + "/gzip"))
        client.shutdown()
        await server.stop()
        #expect(String(decoding: response.body, as: UTF8.self) == TestServer.gzipPlain)
        #expect(response.header("content-type") == "application/json")
    }

    @Test("method, request headers and body reach the server; response headers come back")
    func postWithHeaders() async throws {
        let server = try await TestServer.start()
        let client = CurlHTTPClient()
        let request = OutgoingRequest(
            method: "POST", url: server.baseURL + "/echo",
            headers: [(name: "X-Custom", value: "abc 123"), (name: "Content-Type", value: "application/json")],
            body: Data("{\"a\": 1}".utf8))
        let response = try await client.send(request)
        client.shutdown()
        await server.stop()
        #expect(response.status == 201)
        #expect(response.header("x-echo-method") == "POST")
        #expect(response.header("X-ECHO-CUSTOM") == "abc 123")
        #expect(response.header("x-echo-type") == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"a\": 1}")
    }

    @Test("error statuses are responses, not errors, with their headers")
    func errorStatus() async throws {
        let server = try await TestServer.start()
        let client = CurlHTTPClient()
        let response = try await client.send(OutgoingRequest(url: server.baseURL + "/status/429"))
        client.shutdown()
        await server.stop()
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "7")
    }

    @Test("URLs that are not http(s) are refused before any transfer")
    func invalidURL() async throws {
        let client = CurlHTTPClient()
        await #expect(throws: HTTPClientError.invalidURL("expected an http or https URL with a host")) {
            try await client.send(OutgoingRequest(url: "file:///etc/passwd"))
        }
        client.shutdown()
    }

    @Test("https to a server that does not speak TLS fails with a tls error")
    func tlsFailure() async throws {
        let server = try await TestServer.start()
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(caFile: "/nonexistent/ca.pem"))
        let url = server.baseURL.replacingOccurrences(of: "http://", with: "https://") + "/slow?ms=1"
        let error = await #expect(throws: HTTPClientError.self) { try await client.send(OutgoingRequest(url: url)) }
        client.shutdown()
        await server.stop()
        guard case .tls(let host, _)? = error else { Issue.record("expected tls, got \(String(describing: error))"); return }
        #expect(server.baseURL.hasSuffix(host))
        #expect(error?.description.contains("CA file") == true)
    }

    @Test("requests after shutdown fail with shutDown")
    func afterShutdown() async throws {
        let client = CurlHTTPClient()
        client.shutdown()
        await #expect(throws: HTTPClientError.shutDown) {
            try await client.send(OutgoingRequest(url: "http://127.0.0.1:9/"))
        }
    }
}
