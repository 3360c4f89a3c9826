import Foundation
import Logging
import ThreadGuardCore
import ThreadGuardHTTP

/// Facebook Pages through the Graph API: the page feed, each post's comments with cursor paging
/// (`filter=stream`, so replies come with their `parent`), hide by `is_hidden`, private replies by
/// `recipient.comment_id`.
public struct FacebookConnector: PlatformConnector {
    public let source: SourceConfig
    let manifest: ConnectorManifest
    let http: any HTTPTransport
    let token: String
    let logger: Logger
    let now: @Sendable () -> Date
    let pacer = RatePacer()
    public var retry = RetryPolicy()

    public init(source: SourceConfig, manifest: ConnectorManifest, http: any HTTPTransport, token: String, logger: Logger,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.source = source
        self.manifest = manifest
        self.http = http
        self.token = token
        self.logger = logger
        self.now = now
    }

    var base: String {
        let root = (source.baseURL ?? manifest.baseURL).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return manifest.apiVersion.isEmpty ? root : "\(root)/\(manifest.apiVersion)"
    }

    // MARK: Polling

    public func poll(cursor: @Sendable (String) throws -> String?, store: @Sendable (FetchedPage) throws -> Void) async throws {
        let posts = try await fetchPosts()
        try store(FetchedPage(stream: "posts", items: posts, cursor: nil))
        for post in posts {
            let stream = "comments:\(post.platformID)"
            var after = try cursor(stream)
            while true {
                var query = [("fields", manifest.commentFields), ("filter", "stream"), ("order", "chronological"),
                             ("limit", String(manifest.pageSize))]
                if let after { query.append(("after", after)) }
                let page: GraphList<GraphComment> = try await get("/\(post.platformID)/comments", query: query)
                let items = page.data.compactMap { item(from: $0, post: post) }
                if items.count < page.data.count {
                    logger.warning("comments without any id skipped", metadata: ["source.name": "\(source.name)", "count": "\(page.data.count - items.count)"])
                }
                let nextCursor = page.paging?.cursors?.after ?? after
                try store(FetchedPage(stream: stream, items: items, cursor: nextCursor))
                logger.debug("stored comments page", metadata: ["source.name": "\(source.name)", "post.id": "\(post.platformID)", "page.count": "\(items.count)"])
                guard page.paging?.next != nil, let nextCursor, nextCursor != after, !page.data.isEmpty else { break }
                after = nextCursor
            }
        }
    }

    func fetchPosts() async throws -> [Item] {
        var posts: [Item] = []
        var after: String?
        repeat {
            var query = [("fields", manifest.postFields), ("limit", String(manifest.pageSize))]
            if let after { query.append(("after", after)) }
            let page: GraphList<GraphPost> = try await get("/\(source.account)/feed", query: query)
            posts += page.data.map(item(from:))
            after = page.paging?.next == nil ? nil : page.paging?.cursors?.after
        } while after != nil && posts.count < 500
        return posts
    }

    func item(from post: GraphPost) -> Item {
        let authorID = post.from?.id ?? source.account
        return Item(
            platform: manifest.platform, platformID: post.id, kind: .post, sourceName: source.name,
            threadRootID: post.id, parentID: nil, authorID: authorID, authorName: post.from?.name ?? "",
            text: post.message ?? "", createdAt: GraphTime.parse(post.created_time) ?? now(), fetchedAt: now(),
            permalink: post.permalink_url, isBrand: authorID == source.account)
    }

    func item(from comment: GraphComment, post: Item) -> Item? {
        guard let identity = comment.identity else { return nil }
        let authorID = comment.from?.id ?? ""
        return Item(
            platform: manifest.platform, platformID: identity.id, kind: identity.parent == nil ? .comment : .reply,
            sourceName: source.name, threadRootID: post.platformID, parentID: identity.parent ?? post.platformID,
            authorID: authorID, authorName: comment.from?.name ?? "", text: comment.message ?? "",
            createdAt: GraphTime.parse(comment.created_time) ?? now(), fetchedAt: now(),
            permalink: comment.permalink_url, isHidden: comment.is_hidden ?? false, isBrand: authorID == source.account)
    }

    // MARK: Actions

    public func perform(_ action: PlatformAction) async throws -> String? {
        switch action.kind {
        case .hide, .unhide:
            let body = "is_hidden=\(action.kind == .hide)"
            let result: [String: Bool] = try await send("POST", "/\(action.item.platformID)", form: body)
            guard result["success"] == true else { throw ConnectorError.temporary(source: source.name, detail: "hide not confirmed") }
            return nil
        case .privateReply:
            let window = TimeInterval(manifest.privateReplyWindowDays * 86_400)
            guard now().timeIntervalSince(action.item.createdAt) <= window else {
                throw ConnectorError.unsupported("private reply more than \(manifest.privateReplyWindowDays) days after the comment")
            }
            let payload: [String: Any] = ["recipient": ["comment_id": action.item.platformID],
                                          "message": ["text": action.text ?? ""], "messaging_type": "RESPONSE"]
            let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
            let result: [String: String] = try await send("POST", "/\(source.account)/messages", json: body)
            return result["message_id"]
        case .publicReply:
            let body = "message=\(Self.formEncode(action.text ?? ""))"
            let result: [String: String] = try await send("POST", "/\(action.item.platformID)/comments", form: body)
            return result["id"]
        case .review, .escalate, .adverseEventReport, .label:
            throw ConnectorError.unsupported("\(action.kind.rawValue) is not a platform action")
        }
    }

    /// Graph tells by the comment's own fields: `is_hidden`, and `can_reply_privately` turning false once a
    /// private reply was sent (one is allowed per comment).
    public func alreadyDone(_ action: PlatformAction) async throws -> Bool? {
        struct Fields: Decodable {
            var is_hidden: Bool?
            var can_reply_privately: Bool?
        }
        switch action.kind {
        case .hide, .unhide, .privateReply:
            let fields: Fields = try await get("/\(action.item.platformID)", query: [("fields", "id,is_hidden,can_reply_privately")])
            switch action.kind {
            case .hide: return fields.is_hidden
            case .unhide: return fields.is_hidden.map { !$0 }
            default: return fields.can_reply_privately.map { !$0 }
            }
        default:
            return nil
        }
    }

    // MARK: HTTP

    func get<T: Decodable>(_ path: String, query: [(String, String)]) async throws -> T {
        var components = URLComponents(string: base + path)
        components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } + tokenQuery
        guard let url = components?.string else { throw ConnectorError.permanent(source: source.name, detail: "cannot build a URL for \(path)") }
        let request = OutgoingRequest(method: "GET", url: url, headers: authHeaders)
        // Reads are safe to repeat: retry what may pass (5xx, broken bodies, rate limits) with backoff.
        var attempt = 1
        while true {
            do {
                return try await exchange(request)
            } catch let error as ConnectorError where error.isRetryable && attempt < retry.maxAttempts {
                var delay = retry.baseDelay * pow(2, Double(attempt - 1))
                if case .rateLimited(_, let seconds) = error {
                    let wait = Double(seconds ?? 0)
                    if wait > retry.maxDelay { throw error }
                    delay = max(delay, wait)
                }
                logger.notice("retrying a read", metadata: ["source.name": "\(source.name)", "error.kind": "\(error.kindName)", "attempt": "\(attempt)"])
                attempt += 1
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            }
        }
    }

    func send<T: Decodable>(_ method: String, _ path: String, form: String? = nil, json: Data? = nil) async throws -> T {
        var components = URLComponents(string: base + path)
        components?.queryItems = tokenQuery.isEmpty ? nil : tokenQuery
        guard let url = components?.string else { throw ConnectorError.permanent(source: source.name, detail: "cannot build a URL for \(path)") }
        var headers = authHeaders
        var body: Data?
        if let form {
            headers.append((name: "Content-Type", value: "application/x-www-form-urlencoded"))
            body = Data(form.utf8)
        } else if let json {
            headers.append((name: "Content-Type", value: "application/json"))
            body = json
        }
        return try await exchange(OutgoingRequest(method: method, url: url, headers: headers, body: body))
    }

    var tokenQuery: [URLQueryItem] { manifest.auth == .query ? [URLQueryItem(name: manifest.tokenParameter, value: token)] : [] }
    var authHeaders: [(name: String, value: String)] {
        manifest.auth == .bearer ? [(name: "Authorization", value: "Bearer \(token)")] : []
    }

    func exchange<T: Decodable>(_ request: OutgoingRequest) async throws -> T {
        let pause = await pacer.delayBeforeNextRequest()
        if pause > 0 { try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000)) }
        let response: IncomingResponse
        do {
            response = try await http.send(request)
        } catch let error as HTTPClientError {
            throw ConnectorError.temporary(source: source.name, detail: error.description)
        }
        await pacer.observe(response)
        if response.status == 429 || response.status == 503, let after = response.header("Retry-After").flatMap(Double.init) {
            await pacer.refused(retryAfterSeconds: after)
        }
        if (200..<300).contains(response.status) {
            do {
                return try JSONDecoder().decode(T.self, from: response.body)
            } catch {
                throw ConnectorError.temporary(source: source.name, detail: "unreadable response body (HTTP \(response.status), \(response.body.count) bytes)")
            }
        }
        throw classify(response)
    }

    /// Maps a Graph error response to what to do next.
    func classify(_ response: IncomingResponse) -> ConnectorError {
        let envelope = try? JSONDecoder().decode(GraphErrorEnvelope.self, from: response.body)
        let code = envelope?.error.code
        let detail = "HTTP \(response.status)" + (code.map { ", Graph error code \($0)" } ?? "")
            + (envelope?.error.message.map { ": \($0)" } ?? "")
        if code == 190 || response.status == 401 { return .needsNewToken(source: source.name, detail: detail) }
        if let code, [4, 17, 32, 613, 80001].contains(code) || response.status == 429 {
            return .rateLimited(source: source.name, retryAfterSeconds: response.header("Retry-After").flatMap(Int.init))
        }
        if response.status >= 500 {
            let kind = response.header("Content-Type")?.contains("html") == true ? " (an HTML error page, not the API)" : ""
            return .temporary(source: source.name, detail: detail + kind)
        }
        return .permanent(source: source.name, detail: detail)
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)?.replacingOccurrences(of: "%20", with: "+") ?? ""
    }
}
