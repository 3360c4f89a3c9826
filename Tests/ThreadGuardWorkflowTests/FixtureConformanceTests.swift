import Foundation
import Logging
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP

/// Serves recorded exchanges from `../shared/fixtures` by URL path (and `after` cursor), like the platform did.
final class ReplayTransport: HTTPTransport, @unchecked Sendable {
    let route: (URLComponents) -> (status: Int, body: Any)?
    private let lock = NSLock()
    private var seen: [String] = []

    init(route: @escaping (URLComponents) -> (status: Int, body: Any)?) {
        self.route = route
    }

    var requests: [String] { lock.withLock { seen } }

    func send(_ request: OutgoingRequest) async throws -> IncomingResponse {
        let components = URLComponents(string: request.url)!
        lock.withLock { seen.append(components.path + "?" + (components.queryItems?.first { $0.name == "after" }?.value ?? "")) }
        guard let (status, body) = route(components) else {
            return IncomingResponse(status: 404, headers: [], body: Data(#"{"error":{"message":"no fixture","code":100}}"#.utf8))
        }
        let data = body is String ? Data((body as! String).utf8) : try JSONSerialization.data(withJSONObject: body)
        return IncomingResponse(status: status, headers: [(name: "Content-Type", value: "application/json")], body: data)
    }
}

enum Fixtures {
    static var folder: String { RepoFolders.root + "/../shared/fixtures" }
    static var available: Bool { FileManager.default.fileExists(atPath: folder) }

    static func load(_ name: String) -> (status: Int, body: Any)? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + name),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let response = object["response"] as? [String: Any], let status = response["status"] as? Int
        else { return nil }
        return (status, response["body"] ?? "")
    }
}

@Suite("conformance with recorded Facebook exchanges (skipped without ../shared/fixtures)", .enabled(if: Fixtures.available))
struct FacebookFixtureTests {
    static let page = "19292868552"
    static let post = "19292868552_10158407654328553"

    func connector(_ transport: ReplayTransport) throws -> DeclarativeConnector {
        let manifest = try DeclarativeManifest.load(file: RepoFolders.connectors + "/facebook.yaml")
        return DeclarativeConnector(source: SourceConfig(name: "fb", connector: "facebook", account: Self.page, baseURL: "https://graph.example", tokenEnv: "T"),
                                    manifest: manifest, http: transport, credential: "t", logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    @Test("the recorded feed and two comment pages are read in full, replies under their comments, ids from permalinks")
    func commentsPages() async throws {
        let feed = try #require(Fixtures.load("facebook/page_feed_p1.json"))
        let p1 = try #require(Fixtures.load("facebook/post_comments_p1.json"))
        let p2 = try #require(Fixtures.load("facebook/post_comments_p2.json"))
        let transport = ReplayTransport { url in
            let after = url.queryItems?.first { $0.name == "after" }?.value
            if url.path.hasSuffix("/\(Self.page)/feed") {
                guard after == nil else { return (200, ["data": []]) }
                // The recorded feed, plus the post whose comments were recorded.
                var body = feed.body as! [String: Any]
                body["data"] = (body["data"] as! [[String: Any]]) + [["id": Self.post, "message": "post", "created_time": "2021-08-10T18:00:00+0000"]]
                body["paging"] = nil
                return (200, body)
            }
            if url.path.hasSuffix("/\(Self.post)/comments") {
                switch after {
                case nil: return p1
                case "after": return p2  // the recorded cursor placeholder
                default: return (200, ["data": []])
                }
            }
            if url.path.hasSuffix("/comments") { return (200, ["data": []]) }
            return nil
        }
        let pages = Pages()
        try await connector(transport).poll(cursor: { _ in nil }, store: { pages.add($0) })
        let comments = pages.all.filter { $0.stream == "comments:\(Self.post)" }.flatMap(\.items)
        let p1Count = ((p1.body as! [String: Any])["data"] as! [Any]).count
        let p2Count = ((p2.body as! [String: Any])["data"] as! [Any]).count
        #expect(comments.count == p1Count + p2Count)
        #expect(Set(comments.map(\.platformID)).count == comments.count, "every recorded comment has its own id")
        let replies = comments.filter { $0.kind == .reply }
        #expect(!replies.isEmpty)
        for reply in replies { #expect(comments.contains { $0.platformID == reply.parentID }) }
        let posts = pages.all.filter { $0.stream == "posts" }.flatMap(\.items)
        #expect(posts.count == ((feed.body as! [String: Any])["data"] as! [Any]).count + 1)
    }

    @Test("recorded Graph errors are classified: a missing permission is permanent and says so")
    func errors() async throws {
        let error = try #require(Fixtures.load("facebook/error_missing_permission.json"))
        let transport = ReplayTransport { url in url.path.hasSuffix("/feed") ? error : nil }
        await #expect(throws: ConnectorError.self) {
            try await connector(transport).poll(cursor: { _ in nil }, store: { _ in })
        }
        do {
            try await connector(transport).poll(cursor: { _ in nil }, store: { _ in })
        } catch let failure as ConnectorError {
            guard case .permanent(_, let detail) = failure else { Issue.record("expected permanent, got \(failure)"); return }
            #expect(detail.contains("HTTP 400, error code 100"))
            #expect(detail.contains("pages_read_engagement"))
        }
    }
}

final class Pages: @unchecked Sendable {
    private let lock = NSLock()
    private var pages: [FetchedPage] = []
    var all: [FetchedPage] { lock.withLock { pages } }
    func add(_ page: FetchedPage) { lock.withLock { pages.append(page) } }
}
