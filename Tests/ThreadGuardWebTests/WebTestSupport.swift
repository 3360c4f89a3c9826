import Foundation
import HummingbirdBcrypt
import Logging
import NIOCore
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

enum Repo {
    static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }
}

final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: String { lock.withLock { lines.joined(separator: "\n") } }
    func add(_ line: String) { lock.withLock { lines.append(line) } }
}

struct LineHandler: LogHandler {
    let sink: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        sink.add("\(message) \((metadata ?? [:]).merging(self.metadata) { a, _ in a })")
    }
}

/// Hostile comments a reviewer must see as text, never as markup.
enum Hostile {
    static let script = "<script>document.title='owned'</script> my mom's MRN is 00123456 and her pump failed"
    static let handler = "<img src=x onerror=\"document.title='owned'\"> call me at 614-555-0199, my husband's pacemaker beeps"
    static let author = "<b onmouseover=alert(1)>Eve</b>"
    static let link = "javascript:alert(document.cookie)"
}

/// A database with users and a few judged comments, served by the review app on 127.0.0.1.
struct WebRig {
    let folder: String
    let database: ThreadGuardDatabase
    let server: ReviewServer
    let client: CurlHTTPClient
    let logs: Lines
    let app: ReviewApp
    var base: String { server.baseURL }

    static let passwords = ["rita": "reviewer-password-1", "lena": "lead-password-0001", "ada": "admin-password-001"]

    static func start(idleTimeout: TimeAmount = .seconds(30), policies policiesFolder: String = Repo.root + "/Policies") async throws -> WebRig {
        let folder = NSTemporaryDirectory() + "tg-web-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try ThreadGuardDatabase(path: folder + "/tg.sqlite")
        try database.addUser(name: "rita", passwordHash: Bcrypt.hash(passwords["rita"]!, cost: 4), role: "reviewer", actor: "test")
        try database.addUser(name: "lena", passwordHash: Bcrypt.hash(passwords["lena"]!, cost: 4), role: "lead", actor: "test")
        try database.addUser(name: "ada", passwordHash: Bcrypt.hash(passwords["ada"]!, cost: 4), role: "admin", actor: "test")
        try database.registerSource(name: "fb", connector: "facebook", account: "page")
        let now = Date()
        func item(_ id: String, _ text: String, author: String = "Dana", parent: String? = nil, kind: ItemKind = .comment, brand: Bool = false, link: String? = nil) -> Item {
            Item(platform: .facebook, platformID: id, kind: kind, sourceName: "fb", threadRootID: "post1", parentID: kind == .post ? nil : (parent ?? "post1"),
                 authorID: brand ? "page" : "u-\(id)", authorName: author, text: text, createdAt: now.addingTimeInterval(-600), fetchedAt: now,
                 permalink: link, isBrand: brand)
        }
        try await database.storePage(source: "fb", stream: "s", items: [
            item("post1", "Our new pump is here!", author: "Meridian", kind: .post, brand: true),
            item("c1", Hostile.script, author: Hostile.author, link: Hostile.link),
            item("c2", Hostile.handler),
            item("c3", "Love the new colours"),
            item("c4", "my husband's pump alarm keeps going off and I don't see the point anymore, I want to end it all"),
        ], cursor: nil)
        let policies = try PolicyLoader.load(directory: policiesFolder)
        let logs = Lines()
        let logger = Logger(label: "web-test", factory: { _ in LineHandler(sink: logs) })
        _ = try Decider(database: database, judge: Judge(policies: policies), logger: logger).decidePending()
        let config = AppConfig(database: folder + "/tg.sqlite", policies: Repo.root + "/Policies", connectors: Repo.root + "/Connectors", sources: [])
        let app = ReviewApp(database: database, judge: Judge(policies: policies), runActions: nil, logger: logger,
                            metricsText: { try MetricsExposition.render(config: config, database: database) })
        let server = try await ReviewServer.start(app: app, idleTimeout: idleTimeout, logger: logger)
        return WebRig(folder: folder, database: database, server: server, client: CurlHTTPClient(), logs: logs, app: app)
    }

    func stop() async {
        await server.stop()
        client.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A browser-like session: cookies kept, redirects not followed.
    final class Session: @unchecked Sendable {
        let base: String
        let client: CurlHTTPClient
        var cookies: [String: String] = [:]
        init(rig: WebRig) {
            base = rig.base
            client = rig.client
        }
        init(base: String, client: CurlHTTPClient) {
            self.base = base
            self.client = client
        }

        func get(_ path: String) async throws -> IncomingResponse {
            try await send("GET", path, form: nil)
        }

        func post(_ path: String, _ form: [String: String]) async throws -> IncomingResponse {
            try await send("POST", path, form: form)
        }

        func send(_ method: String, _ path: String, form: [String: String]?) async throws -> IncomingResponse {
            var headers: [(name: String, value: String)] = []
            if !cookies.isEmpty { headers.append((name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))) }
            var body: Data?
            if let form {
                headers.append((name: "Content-Type", value: "application/x-www-form-urlencoded"))
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._*")
                body = Data(form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
            }
            let response = try await client.send(OutgoingRequest(method: method, url: base + path, headers: headers, body: body))
            for (name, value) in response.headers where name.lowercased() == "set-cookie" {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { if pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] } }
            }
            return response
        }

        static func csrf(in page: String) -> String? {
            guard let range = page.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(page[range.upperBound...].prefix { $0 != "\"" })
        }

        /// Signs in through the form; returns the session's CSRF token.
        @discardableResult
        func signIn(_ name: String, password: String? = nil) async throws -> String {
            let form = try await get("/login")
            let token = Self.csrf(in: String(decoding: form.body, as: UTF8.self)) ?? ""
            let response = try await post("/login", ["csrf": token, "name": name, "password": password ?? WebRig.passwords[name]!])
            guard response.status == 303 else { return "" }
            let queue = try await get("/queue")
            return Self.csrf(in: String(decoding: queue.body, as: UTF8.self)) ?? ""
        }
    }

    func session() -> Session { Session(rig: self) }

    func itemID(_ platformID: String) throws -> Int64 {
        try database.item(platform: .facebook, platformID: platformID)!.id!
    }
}

extension IncomingResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
