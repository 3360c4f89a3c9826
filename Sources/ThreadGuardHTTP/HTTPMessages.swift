import Foundation

/// An outgoing HTTP request. (Not named `HTTPRequest`: that name belongs to HTTPTypes.)
public struct OutgoingRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: OutgoingRequest, rhs: OutgoingRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }
}

/// A response as received, with its headers in arrival order.
public struct IncomingResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The last value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Why a request got no response. Messages name the host, never the query string (tokens travel there).
public enum HTTPClientError: Error, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case cannotConnect(host: String, reason: String)
    case timedOut(host: String, afterMilliseconds: Int)
    case tls(host: String, reason: String)
    case tooLarge(host: String, limitBytes: Int)
    case transport(host: String, code: Int, reason: String)
    case shutDown

    public var description: String {
        switch self {
        case .invalidURL(let why): return "invalid URL: \(why)"
        case .cannotConnect(let host, let reason): return "cannot connect to \(host): \(reason)"
        case .timedOut(let host, let ms): return "request to \(host) timed out after \(ms) ms"
        case .tls(let host, let reason):
            return "TLS failure talking to \(host): \(reason) (check the server certificate or the configured CA file)"
        case .tooLarge(let host, let limit):
            return "response from \(host) is larger than the \(limit)-byte limit; raise the limit if this is expected"
        case .transport(let host, let code, let reason): return "HTTP transfer with \(host) failed (curl \(code)): \(reason)"
        case .shutDown: return "the HTTP client was shut down"
        }
    }
}

/// Limits and TLS settings for a client.
public struct HTTPClientConfiguration: Sendable {
    public var connectTimeoutMilliseconds: Int
    public var totalTimeoutMilliseconds: Int
    public var maxResponseBytes: Int
    /// PEM bundle of trusted CAs; nil uses the system store.
    public var caFile: String?
    public var userAgent: String

    public init(
        connectTimeoutMilliseconds: Int = 10_000, totalTimeoutMilliseconds: Int = 30_000,
        maxResponseBytes: Int = 10 * 1024 * 1024, caFile: String? = nil, userAgent: String = "ThreadGuard/0.1"
    ) {
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.totalTimeoutMilliseconds = totalTimeoutMilliseconds
        self.maxResponseBytes = maxResponseBytes
        self.caFile = caFile
        self.userAgent = userAgent
    }
}

/// Sends requests. `CurlHTTPClient` is the real one; tests may supply a recorder.
public protocol HTTPTransport: Sendable {
    func send(_ request: OutgoingRequest) async throws -> IncomingResponse
}

extension OutgoingRequest {
    /// The host part of the URL, for messages (never the path or query, which may carry tokens).
    public var hostForMessages: String {
        URLComponents(string: url)?.host.map { host in
            URLComponents(string: url)?.port.map { "\(host):\($0)" } ?? host
        } ?? "(unparsed URL)"
    }
}
