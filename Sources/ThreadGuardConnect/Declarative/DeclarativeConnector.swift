import Foundation
import Logging
import ThreadGuardCore
import ThreadGuardHTTP

/// A platform connector interpreted from its manifest: streams of posts and comments with their paging,
/// nested replies, lookups and incremental cursors; moderation actions as templated requests.
public struct DeclarativeConnector: PlatformConnector {
    public let source: SourceConfig
    public let manifest: DeclarativeManifest
    let http: any HTTPTransport
    let credential: String
    let logger: Logger
    let now: @Sendable () -> Date
    let pacer: RatePacer
    let session: TokenSession
    public var retry = RetryPolicy()

    public init(source: SourceConfig, manifest: DeclarativeManifest, http: any HTTPTransport, credential: String, logger: Logger,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.source = source
        self.manifest = manifest
        self.http = http
        self.credential = credential
        self.logger = logger
        self.now = now
        pacer = RatePacer(usageHeaders: manifest.rateLimit.usageHeaders, usageSlowAbove: manifest.rateLimit.usageSlowAbove)
        session = TokenSession(initial: manifest.auth.kind == .oauthPasswordGrant ? nil : credential)
    }

    public func apiBudget() async -> APIBudget? { await pacer.budget() }

    var baseScope: Template.Scope {
        var scope = Template.Scope()
        scope.values = ["account": source.account, "page_size": String(manifest.pageSize), "api_version": manifest.apiVersion]
        scope.vars = manifest.vars
        return scope
    }

    // MARK: Polling

    public func poll(cursor: @Sendable (String) async throws -> String?, store: @Sendable (FetchedPage) async throws -> Void) async throws {
        let parents = Set(manifest.streams.compactMap(\.parent))
        var produced: [String: [Produced]] = [:]
        for stream in manifest.streams {
            var out: [Produced] = []
            if let parent = stream.parent {
                for owner in produced[parent] ?? [] where owner.item.kind == .post || stream.kind != .post {
                    out += try await run(stream, parent: owner, cursor: cursor, store: store)
                }
            } else {
                out = try await run(stream, parent: nil, cursor: cursor, store: store)
            }
            if parents.contains(stream.name) { produced[stream.name] = out }
        }
    }

    struct Produced {
        var item: Item
        var record: JSONValue
    }

    func run(_ stream: StreamSpec, parent: Produced?, cursor: @Sendable (String) async throws -> String?,
             store: @Sendable (FetchedPage) async throws -> Void) async throws -> [Produced] {
        let key = parent.map { "\(stream.name):\($0.item.platformID)" } ?? stream.name
        let stored = try await cursor(key)
        var scope = baseScope
        scope.post = parent?.record
        let incremental = stream.incremental
        scope.values["since"] = incremental.kind == .highWater ? (stored ?? "") : ""
        var sinceQuery: [(String, String)] = []
        if incremental.kind == .highWater, let param = incremental.param, let stored { sinceQuery = [(param, stored)] }
        var pageToken: String? = incremental.kind == .resume ? stored : nil
        var nextURL: String?
        var mark = stored
        var pages = 0
        var result: [Produced] = []
        while true {
            let url = try pageAddress(stream.request, stream.paginate, scope: scope, extraQuery: sinceQuery, token: pageToken, next: nextURL)
            let (json, response) = try await read(stream.request, url: url, scope: scope)
            pages += 1
            let tables = ItemReader.tables(stream.lookups, page: json)
            var produced = try await records(stream.records.values(in: json), stream: stream, parent: parent, tables: tables, scope: scope)
            let next = nextPage(stream.paginate, json: json, response: response, currentToken: pageToken, empty: produced.isEmpty)
            let more = next.hasMore && pages < stream.maxPages
            switch incremental.kind {
            case .resume:
                let position = next.token ?? pageToken
                try await store(FetchedPage(stream: key, items: produced.map(\.item), cursor: position))
            case .highWater:
                let fresh = produced.filter { isNewer($0.item, than: stored, incremental) }
                let reachedOld = fresh.count < produced.count
                for entry in fresh { mark = newest(mark, entry.item, incremental) }
                produced = fresh
                let finished = reachedOld || !next.hasMore
                // The mark moves only when the walk reached what was already seen: a killed or capped walk repeats.
                try await store(FetchedPage(stream: key, items: fresh.map(\.item), cursor: finished ? mark : stored))
                if !finished, !more {
                    logger.warning("stream walk capped before reaching the last seen item", metadata: ["source.name": "\(source.name)", "stream": "\(stream.name)"])
                }
                result += produced
                if finished { return result }
            case .none:
                try await store(FetchedPage(stream: key, items: produced.map(\.item), cursor: nil))
            }
            if incremental.kind != .highWater { result += produced }
            guard more else { return result }
            pageToken = next.token
            nextURL = next.url
        }
    }

    /// Records to items: filtered, unwrapped, with their replies (fetched in full when the record says there are
    /// more) and the stubs of records not sent yet expanded.
    func records(_ raw: [JSONValue], stream: StreamSpec, parent: Produced?, tables: ItemReader.Tables, scope: Template.Scope) async throws -> [Produced] {
        let reader = ItemReader(platform: manifest.platform, source: source, now: now())
        var out: [Produced] = []
        var stubs: [JSONValue] = []
        var skipped = 0
        /// `descend`: read the replies nested in each record (always at the top; below it only when recursive).
        func walk(_ records: [JSONValue], spec: RecordSpec, kind: ItemKind, parentRecordID: String?, descend: Bool = true) async throws {
            for record in records {
                if let more = stream.more, more.when.holds(record) {
                    stubs.append(record)
                    continue
                }
                if let filter = spec.filter, !filter.holds(record) { continue }
                let object = spec.unwrap.map { $0.first(in: record) ?? .null } ?? record
                var local = scope
                local.record = object
                guard let item = reader.item(object, mapping: spec.item, kind: kind, parentPost: parent?.item,
                                             parentRecordID: parentRecordID, tables: tables, scope: local) else {
                    skipped += 1
                    continue
                }
                out.append(Produced(item: item, record: object))
                guard descend, let replies = stream.replies else { continue }
                var nested = replies.path.values(in: record)
                if let fetchAll = replies.fetchAll, let count = fetchAll.whenMoreThan.first(in: object)?.number, Int(count) > nested.count {
                    nested = try await fetchAllReplies(fetchAll, record: object, scope: local)
                }
                // Replies without a mapping of their own are records of the stream's own shape.
                let replySpec = replies.usesStreamItem ? stream.record : replies.record
                try await walk(nested, spec: replySpec, kind: .reply, parentRecordID: item.platformID, descend: replies.recursive)
            }
        }
        try await walk(raw, spec: stream.record, kind: stream.kind, parentRecordID: nil)
        // Stubs ("load more comments") are expanded in batches; their answers may hold further stubs.
        var rounds = 0
        while let more = stream.more, !stubs.isEmpty, rounds < 20 {
            rounds += 1
            let ids = stubs.flatMap { more.ids.values(in: $0).compactMap(\.text) }
            stubs = []
            for start in stride(from: 0, to: ids.count, by: max(1, more.batch)) {
                var local = scope
                local.values["ids"] = ids[start..<min(ids.count, start + more.batch)].joined(separator: ",")
                let url = try buildURL(more.request, scope: local, extraQuery: [])
                let (json, _) = try await read(more.request, url: url, scope: local)
                try await walk(more.records.values(in: json), spec: stream.record, kind: stream.kind == .post ? .post : .comment, parentRecordID: nil)
            }
        }
        if skipped > 0 {
            logger.warning("records without an id skipped", metadata: ["source.name": "\(source.name)", "stream": "\(stream.name)", "count": "\(skipped)"])
        }
        return out
    }

    func fetchAllReplies(_ spec: FetchAllSpec, record: JSONValue, scope: Template.Scope) async throws -> [JSONValue] {
        var all: [JSONValue] = []
        var token: String?
        var url: String?
        for _ in 0..<50 {
            let address = try pageAddress(spec.request, spec.paginate, scope: scope, extraQuery: [], token: token, next: url)
            let (json, response) = try await read(spec.request, url: address, scope: scope)
            let found = spec.records.values(in: json)
            all += found
            let next = nextPage(spec.paginate, json: json, response: response, currentToken: token, empty: found.isEmpty)
            guard next.hasMore else { break }
            token = next.token
            url = next.url
        }
        return all
    }

    /// A page's URL: the next URL the platform gave, else the request with the paging token as its parameter.
    func pageAddress(_ request: RequestSpec, _ paginate: PaginateSpec, scope: Template.Scope, extraQuery: [(String, String)],
                     token: String?, next: String?) throws -> String {
        if let next { return next }
        var query = extraQuery
        if let token, let param = paginate.param { query.append((param, token)) }
        return try buildURL(request, scope: scope, extraQuery: query)
    }

    struct NextPage {
        var hasMore: Bool
        var token: String?
        var url: String?
    }

    func nextPage(_ paginate: PaginateSpec, json: JSONValue, response: IncomingResponse, currentToken: String?, empty: Bool) -> NextPage {
        switch paginate.kind {
        case .none:
            return NextPage(hasMore: false)
        case .cursor:
            let token = paginate.cursor?.first(in: json)?.text.flatMap { $0.isEmpty ? nil : $0 }
            let allowed = paginate.hasMore.map { $0.first(in: json) != nil } ?? true
            return NextPage(hasMore: token != nil && allowed && token != currentToken && !empty, token: token)
        case .nextURL:
            let url = paginate.next?.first(in: json)?.text
            return NextPage(hasMore: url != nil && !empty, url: url)
        case .linkHeader:
            let url = response.header("Link").flatMap(LinkHeader.next)
            return NextPage(hasMore: url != nil && !empty, url: url)
        }
    }

    // MARK: Incremental marks

    func isNewer(_ item: Item, than mark: String?, _ spec: IncrementalSpec) -> Bool {
        guard let mark else { return true }
        return Self.compare(value(of: item, spec), mark, spec.compare) > 0
    }

    func newest(_ mark: String?, _ item: Item, _ spec: IncrementalSpec) -> String {
        let candidate = value(of: item, spec)
        guard let mark else { return candidate }
        return Self.compare(candidate, mark, spec.compare) > 0 ? candidate : mark
    }

    func value(of item: Item, _ spec: IncrementalSpec) -> String {
        spec.field == "created" ? Timestamp.graph(item.createdAt) : item.platformID
    }

    /// Orders ids as numbers of any length (snowflakes), base-36 fullnames (`t1_k3uzsxu`), or timestamps.
    static func compare(_ a: String, _ b: String, _ how: IncrementalSpec.Compare) -> Int {
        switch how {
        case .numeric:
            let x = a.drop { $0 == "0" }, y = b.drop { $0 == "0" }
            if x.count != y.count { return x.count < y.count ? -1 : 1 }
            return x == y ? 0 : (x < y ? -1 : 1)
        case .base36:
            let x = a.split(separator: "_").last.map(String.init) ?? a, y = b.split(separator: "_").last.map(String.init) ?? b
            if x.count != y.count { return x.count < y.count ? -1 : 1 }
            return x == y ? 0 : (x.lowercased() < y.lowercased() ? -1 : 1)
        case .time:
            let x = Timestamp.parse(a) ?? .distantPast, y = Timestamp.parse(b) ?? .distantPast
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }
}

extension DeclarativeConnector.NextPage {
    init(hasMore: Bool) { self.init(hasMore: hasMore, token: nil, url: nil) }
    init(hasMore: Bool, token: String?) { self.init(hasMore: hasMore, token: token, url: nil) }
    init(hasMore: Bool, url: String?) { self.init(hasMore: hasMore, token: nil, url: url) }
}

/// RFC 8288 `Link` headers: `<https://…?max_id=1>; rel="next", <…>; rel="prev"`.
enum LinkHeader {
    static func next(_ header: String) -> String? {
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            if pieces.dropFirst().contains(where: { $0 == "rel=\"next\"" || $0 == "rel=next" }) {
                return String(target.dropFirst().dropLast())
            }
        }
        return nil
    }
}
