import Foundation
import Logging
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP

/// Recorded exchanges from `../shared/fixtures` (real API responses under their licences; read in place, never
/// copied into the repository). The suites skip when that folder is absent.
enum Recorded {
    static var folder: String { Repo.root + "/../shared/fixtures" }
    static var available: Bool { FileManager.default.fileExists(atPath: folder) }

    struct Exchange {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: Data
    }

    static func load(_ name: String, edit: ((inout Any) -> Void)? = nil) -> Exchange {
        let data = FileManager.default.contents(atPath: folder + "/" + name)!
        let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        let response = object["response"] as! [String: Any]
        var body: Any = response["body"] ?? ""
        edit?(&body)
        let bytes = body is String ? Data((body as! String).utf8) : try! JSONSerialization.data(withJSONObject: body, options: [.fragmentsAllowed])
        let headers = (response["headers"] as? [String: String] ?? [:]).map { (name: $0.key, value: $0.value) }
        return Exchange(status: response["status"] as! Int, headers: headers, body: bytes)
    }
}

/// Answers each request with a recorded exchange chosen by method, path and query.
final class RecordedTransport: HTTPTransport, @unchecked Sendable {
    let route: (String, URLComponents, Data?) -> Recorded.Exchange?
    private let lock = NSLock()
    private var log: [String] = []

    init(route: @escaping (String, URLComponents, Data?) -> Recorded.Exchange?) { self.route = route }

    var requests: [String] { lock.withLock { log } }

    func send(_ request: OutgoingRequest) async throws -> IncomingResponse {
        let url = URLComponents(string: request.url)!
        lock.withLock { log.append("\(request.method) \(request.url)") }
        guard let exchange = route(request.method, url, request.body) else {
            return IncomingResponse(status: 404, headers: [], body: Data(#"{"error":"no recording for this request"}"#.utf8))
        }
        return IncomingResponse(status: exchange.status, headers: exchange.headers + [(name: "Content-Type", value: "application/json")], body: exchange.body)
    }
}

extension URLComponents {
    func query(_ name: String) -> String? { queryItems?.first { $0.name == name }?.value }
}

func recordedConnector(_ platform: Platform, account: String, credential: String = "token", transport: RecordedTransport) throws -> DeclarativeConnector {
    let manifest = try DeclarativeManifest.load(file: Repo.root + "/Connectors/\(platform.rawValue).yaml")
    var connector = DeclarativeConnector(source: SourceConfig(name: "recorded", connector: platform.rawValue, account: account, baseURL: nil, tokenEnv: "T"),
                                         manifest: manifest, http: transport, credential: credential, logger: silent())
    connector.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 1)
    return connector
}

func poll(_ connector: DeclarativeConnector, _ store: MemoryStore = MemoryStore()) async throws -> MemoryStore {
    store.startPoll()
    try await connector.poll(cursor: { store.cursor($0) }, store: { store.store($0) })
    return store
}

func refusal(_ work: () async throws -> Void) async -> ConnectorError? {
    do { try await work() } catch let error as ConnectorError { return error } catch { return nil }
    return nil
}

@Suite("recorded Instagram exchanges", .enabled(if: Recorded.available))
struct InstagramRecordedTests {
    @Test("media pages, comment pages and nested replies are read in full")
    func media() async throws {
        let transport = RecordedTransport { _, url, _ in
            if url.path.hasSuffix("/17841406338772941/media") {
                return url.query("after") == nil ? Recorded.load("instagram/user_media_p1.json") : Recorded.load("instagram/user_media_p2.json")
            }
            if url.path.hasSuffix("/17895731045244887/comments") {
                // One comment with its replies nested, as a comments page.
                return Recorded.load("instagram/comment_full_fields.json") { body in body = ["data": [body]] }
            }
            if url.path.hasSuffix("/comments") {
                return url.query("after") == nil ? Recorded.load("instagram/media_comments_p1.json") : Recorded.load("instagram/media_comments_p2.json")
            }
            return nil
        }
        let store = try await poll(try recordedConnector(.instagram, account: "17841406338772941", transport: transport))
        let items = store.all
        #expect(items.filter { $0.kind == .post }.count == 4)
        let reply = try #require(items.first { $0.platformID == "17845747489952795" })
        #expect(reply.kind == .reply)
        #expect(reply.parentID == "17892250648466172")
        #expect(reply.text == "@ikroskun Nice")
        #expect(items.contains { $0.platformID == "17914413430382429" }, "the second comments page is read")
        // Media pages: page 1, then page 2 (which has no next) and no third request.
        #expect(transport.requests.filter { $0.contains("/media") }.count == 2)
    }
}

@Suite("recorded X exchanges", .enabled(if: Recorded.available))
struct XRecordedTests {
    @Test("a user's tweets and a search page with expansions: authors joined from includes.users, newest id kept for since_id")
    func searchPage() async throws {
        let page = Recorded.load("x/search_recent_expanded_page.json")
        let transport = RecordedTransport { _, url, _ in
            if url.path.hasSuffix("/2/users/5506689824/tweets") {
                return url.query("pagination_token") == nil ? Recorded.load("x/user_tweets_paginated_page.json") : Recorded.load("x/dm_events_empty.json")
            }
            if url.path.hasSuffix("/2/tweets/search/recent") {
                return url.query("query") == "conversation_id:1257786232978968578" && url.query("since_id") == nil ? page : Recorded.load("x/dm_events_empty.json")
            }
            return nil
        }
        let connector = try recordedConnector(.x, account: "5506689824", transport: transport)
        let store = try await poll(connector)
        let json = try JSONSerialization.jsonObject(with: page.body) as! [String: Any]
        let tweets = json["data"] as! [[String: Any]]
        let users = Dictionary(uniqueKeysWithValues: ((json["includes"] as! [String: Any])["users"] as! [[String: Any]]).map { ($0["id"] as! String, $0["username"] as! String) })
        for tweet in tweets {
            let item = try #require(store.all.first { $0.platformID == tweet["id"] as! String })
            #expect(item.authorName == users[tweet["author_id"] as! String] ?? "")
            #expect(item.threadRootID == tweet["conversation_id"] as! String)
        }
        #expect(store.cursor("replies:1257786232978968578") == "1440717170493689866")
        // The next poll asks only for newer replies.
        _ = try await poll(connector, store)
        let asked = transport.requests.compactMap { URLComponents(string: String($0.split(separator: " ")[1])) }
        #expect(asked.contains { $0.query("query") == "conversation_id:1257786232978968578" && $0.query("since_id") == "1440717170493689866" })
    }

    @Test("hide, reply and direct message responses are read as recorded")
    func actions() async throws {
        let transport = RecordedTransport { method, url, _ in
            if method == "PUT", url.path.hasSuffix("/hidden") { return Recorded.load("x/hide_reply.json") }
            if method == "POST", url.path.hasSuffix("/2/tweets") { return Recorded.load("x/create_tweet.json") }
            if method == "POST", url.path.contains("/dm_conversations/with/") { return Recorded.load("x/dm_send.json") }
            return nil
        }
        let connector = try recordedConnector(.x, account: "5506689824", transport: transport)
        let item = Item(platform: .x, platformID: "1344794616005066752", kind: .reply, sourceName: "recorded", threadRootID: "1", parentID: "1",
                        authorID: "750362064426721281", authorName: "someone", text: "", createdAt: Date(), fetchedAt: Date(), permalink: nil)
        _ = try await connector.perform(PlatformAction(kind: .hide, item: item, text: nil))
        #expect(try await connector.perform(PlatformAction(kind: .publicReply, item: item, text: "Test Tweet")) == "1456012973835788293")
        #expect(try await connector.perform(PlatformAction(kind: .privateReply, item: item, text: "Testing 1")) == "1585800613253812228")
    }
}

@Suite("recorded YouTube exchanges", .enabled(if: Recorded.available))
struct YouTubeRecordedTests {
    @Test("comment thread pages, and all replies of a thread fetched page by page when it has more than it embeds")
    func threads() async throws {
        let transport = RecordedTransport { _, url, _ in
            if url.path.hasSuffix("/youtube/v3/search") {
                return Recorded.Exchange(status: 200, headers: [], body: Data(#"{"items":[{"id":{"videoId":"F1UP7wRCPH8"},"snippet":{"title":"video","channelId":"UCa-vrCLQHviTOVnEKDOdetQ","publishedAt":"2022-01-01T00:00:00Z"}}]}"#.utf8))
            }
            if url.path.hasSuffix("/commentThreads") {
                return url.query("pageToken") == nil ? Recorded.load("youtube/comment_threads_by_video_p1.json") : Recorded.load("youtube/comment_threads_by_video_p2.json")
            }
            if url.path.hasSuffix("/youtube/v3/comments") {
                return url.query("pageToken") == nil ? Recorded.load("youtube/comments_by_parent_p1.json") : Recorded.load("youtube/comments_by_parent_p2.json")
            }
            return nil
        }
        let store = try await poll(try recordedConnector(.youtube, account: "UCa-vrCLQHviTOVnEKDOdetQ", transport: transport))
        let replies = store.all.filter { $0.kind == .reply }
        #expect(replies.count == 3, "two pages of replies fetched for the thread that counts two and embeds none")
        #expect(replies.allSatisfy { $0.parentID == "Ugw5zYU6n9pmIgAZWvN4AaABAg" })
        #expect(store.all.filter { $0.kind == .comment }.count == 5)
        #expect(transport.requests.contains { $0.contains("parentId=UgwI_ylXVnzPS8Q-oAV4AaABAg") })
    }

    @Test("Google error envelopes: an invalid key needs new credentials, a permission error is permanent")
    func errors() async throws {
        for (fixture, expectation) in [("youtube/error_400_key_invalid.json", "needs"), ("youtube/error_403_permission.json", "permanent")] {
            let transport = RecordedTransport { _, _, _ in Recorded.load(fixture) }
            let error = await refusal { _ = try await poll(try recordedConnector(.youtube, account: "UC", transport: transport)) }
            switch (error, expectation) {
            case (.needsNewToken(_, let detail)?, "needs"): #expect(detail.contains("HTTP 400"))
            case (.permanent(_, let detail)?, "permanent"): #expect(detail.contains("HTTP 403"))
            default: Issue.record("\(fixture): unexpected \(String(describing: error))")
            }
        }
    }
}

@Suite("recorded Reddit exchanges", .enabled(if: Recorded.available))
struct RedditRecordedTests {
    static func thread(withMore: Bool) -> Recorded.Exchange {
        Recorded.load("reddit/submission_comments_thread.json") { body in
            guard withMore, var listings = body as? [[String: Any]], var data = listings[1]["data"] as? [String: Any], var children = data["children"] as? [[String: Any]] else { return }
            children.append(["kind": "more", "data": ["count": 9, "name": "t1_cu5tt8h", "parent_id": "t3_2gmzqe", "children": ["cu5tt8h", "cu5v9yd", "cu5twf5", "cu5tkk4", "cu5tead", "cu5rxpy", "cu5oufs", "cu5tpek", "cu5pbdh"]]])
            data["children"] = children
            listings[1]["data"] = data
            body = listings
        }
    }

    @Test("password grant, the thread's nested replies and a morechildren expansion, with float rate-limit headers")
    func thread() async throws {
        let transport = RecordedTransport { method, url, body in
            if url.path.hasSuffix("/api/v1/access_token") { return Recorded.load("reddit/access_token_password_grant.json") }
            if url.path.hasSuffix("/user/spez/submitted") {
                return Recorded.Exchange(status: 200, headers: [(name: "x-ratelimit-remaining", value: "599.0"), (name: "x-ratelimit-reset", value: "525")],
                                         body: Data(#"{"kind":"Listing","data":{"after":null,"children":[{"kind":"t3","data":{"id":"2gmzqe","name":"t3_2gmzqe","title":"PRAW","selftext":"","author":"spez","created_utc":1410900000}}]}}"#.utf8))
            }
            if url.path.hasSuffix("/comments/2gmzqe") { return Self.thread(withMore: true) }
            if method == "POST", url.path.hasSuffix("/api/morechildren") {
                let form = String(decoding: body ?? Data(), as: UTF8.self)
                return form.contains("link_id=t3_2gmzqe") && form.contains("children=cu5tt8h") ? Recorded.load("reddit/morechildren.json") : nil
            }
            return nil
        }
        let store = try await poll(try recordedConnector(.reddit, account: "spez", credential: "id:secret:user:pass", transport: transport))
        let reply = try #require(store.all.first { $0.platformID == "t1_cklhv0f" })
        #expect(reply.kind == .reply && reply.parentID == "t1_cklfmye")
        #expect(store.all.filter { $0.text.isEmpty == false }.count >= 9)
        #expect(store.all.contains { $0.platformID == "t1_cu5tead" }, "stubs are expanded by morechildren")
        #expect(transport.requests.first?.contains("access_token") == true, "the token is fetched first")
    }

    @Test("a refused token is fetched again once, then the source needs a person; a quarantined listing is permanent")
    func errors() async throws {
        let unauthorized = RecordedTransport { _, url, _ in
            url.path.hasSuffix("/access_token") ? Recorded.load("reddit/access_token_password_grant.json") : Recorded.load("reddit/invalid_token_401.json")
        }
        let refused = await refusal { _ = try await poll(try recordedConnector(.reddit, account: "spez", credential: "a:b:c:d", transport: unauthorized)) }
        guard case .needsNewToken? = refused else { Issue.record("expected needsNewToken, got \(String(describing: refused))"); return }
        #expect(unauthorized.requests.filter { $0.contains("access_token") }.count == 2)
        let quarantined = RecordedTransport { _, url, _ in
            url.path.hasSuffix("/access_token") ? Recorded.load("reddit/access_token_password_grant.json") : Recorded.load("reddit/quarantined_listing_403.json")
        }
        let error = await refusal { _ = try await poll(try recordedConnector(.reddit, account: "spez", credential: "a:b:c:d", transport: quarantined)) }
        guard case .permanent(_, let detail)? = error else { Issue.record("expected permanent, got \(String(describing: error))"); return }
        #expect(detail.contains("HTTP 403"))
    }

    @Test("remove, approve, reply and compose responses are read as recorded")
    func actions() async throws {
        let transport = RecordedTransport { _, url, _ in
            switch url.path {
            case let p where p.hasSuffix("/access_token"): return Recorded.load("reddit/access_token_password_grant.json")
            case let p where p.hasSuffix("/api/remove"): return Recorded.load("reddit/comment_remove.json")
            case let p where p.hasSuffix("/api/approve"): return Recorded.load("reddit/comment_approve.json")
            case let p where p.hasSuffix("/api/comment"): return Recorded.load("reddit/comment_reply.json")
            case let p where p.hasSuffix("/api/compose"): return Recorded.load("reddit/message_compose.json")
            default: return nil
            }
        }
        let connector = try recordedConnector(.reddit, account: "spez", credential: "a:b:c:d", transport: transport)
        let item = Item(platform: .reddit, platformID: "t1_d1616q2", kind: .comment, sourceName: "recorded", threadRootID: "t3_4b1tfm", parentID: "t3_4b1tfm",
                        authorID: "t2_x", authorName: "someone", text: "", createdAt: Date(), fetchedAt: Date(), permalink: nil)
        _ = try await connector.perform(PlatformAction(kind: .hide, item: item, text: nil))
        _ = try await connector.perform(PlatformAction(kind: .unhide, item: item, text: nil))
        #expect(try await connector.perform(PlatformAction(kind: .publicReply, item: item, text: "Comment reply")) == "t1_d1680wu")
        _ = try await connector.perform(PlatformAction(kind: .privateReply, item: item, text: "hello"))
    }
}

@Suite("recorded Mastodon exchanges", .enabled(if: Recorded.available))
struct MastodonRecordedTests {
    @Test("statuses paged by the Link header, HTML content as text, rate-limit headers with ISO resets")
    func statuses() async throws {
        let transport = RecordedTransport { _, url, _ in
            if url.path.hasSuffix("/accounts/117020565966271181/statuses") {
                return url.query("max_id") == nil ? Recorded.load("mastodon/account_statuses_page1.json") : Recorded.load("mastodon/account_statuses_next.json")
            }
            if url.path.hasSuffix("/context") { return Recorded.load("mastodon/status_context.json") }
            return nil
        }
        let store = try await poll(try recordedConnector(.mastodon, account: "117020565966271181", transport: transport))
        let posts = store.all.filter { $0.kind == .post }
        #expect(posts.count == 10, "two pages of five")
        #expect(posts.allSatisfy { !$0.text.contains("<p>") })
        #expect(transport.requests.filter { $0.contains("max_id=117020581882406424") }.count == 1, "the Link header's next page")
    }

    @Test("a refused token, a missing status and an empty reply are told apart")
    func errors() async throws {
        let cases: [(String, String)] = [("mastodon/unauthorized_401.json", "needs"), ("mastodon/status_not_found_404.json", "permanent"), ("mastodon/status_empty_422.json", "permanent")]
        for (fixture, expected) in cases {
            let transport = RecordedTransport { _, _, _ in Recorded.load(fixture) }
            let error = await refusal { _ = try await poll(try recordedConnector(.mastodon, account: "1", transport: transport)) }
            switch (error, expected) {
            case (.needsNewToken?, "needs"), (.permanent?, "permanent"): break
            default: Issue.record("\(fixture): unexpected \(String(describing: error))")
            }
        }
    }

    @Test("a direct reply and a report are read as recorded")
    func actions() async throws {
        let transport = RecordedTransport { _, url, _ in
            if url.path.hasSuffix("/api/v1/statuses") { return Recorded.load("mastodon/status_reply.json") }
            if url.path.hasSuffix("/api/v1/reports") { return Recorded.load("mastodon/report_create.json") }
            return nil
        }
        let connector = try recordedConnector(.mastodon, account: "117020565693913441", transport: transport)
        let item = Item(platform: .mastodon, platformID: "117020583245459824", kind: .comment, sourceName: "recorded", threadRootID: "1", parentID: "1",
                        authorID: "117020566092212359", authorName: "mastodonpy_test_2", text: "", createdAt: Date(), fetchedAt: Date(), permalink: nil)
        #expect(try await connector.perform(PlatformAction(kind: .privateReply, item: item, text: "same!")) == "117020583258292382")
        #expect(try await connector.perform(PlatformAction(kind: .hide, item: item, text: nil)) == "2")
    }
}
