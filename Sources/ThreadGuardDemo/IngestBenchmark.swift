import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardWorkflow

/// `threadguard bench ingest`: many sandbox pages polled over loopback, stored and analysed; reports comments/s,
/// requests made against the minimum number of pages, and peak memory.
public struct IngestBenchmark {
    public struct Result: Sendable {
        public var sources: Int
        public var comments: Int
        public var stored: Int
        /// Items decided (the brand's own posts are not judged).
        public var decided: Int
        /// Until the last page was stored (deciding goes on meanwhile).
        public var pollSeconds: Double
        /// From then until every stored item was decided.
        public var decideSeconds: Double
        public var requests: Int
        public var minimumRequests: Int
        public var peakRSSMiB: Double
        public var commentsPerSecond: Double { Double(stored) / (pollSeconds + decideSeconds) }
    }

    public let sources: Int
    public let commentsPerSource: Int
    public let policies: String
    public let connectors: String
    public let workdir: String
    public let concurrentSources: Int
    /// A PostgreSQL database the benchmark may empty, instead of a SQLite file in `workdir`.
    public let postgres: PostgresLocation?
    /// Pollers sharing the PostgreSQL database, each with its own connections, leases and decider (as separate
    /// processes would have).
    public let pollers: Int

    public init(sources: Int, commentsPerSource: Int, policies: String, connectors: String, workdir: String,
                concurrentSources: Int = Poller.defaultConcurrentSources, postgres: PostgresLocation? = nil, pollers: Int = 1) {
        self.concurrentSources = concurrentSources
        self.postgres = postgres
        self.pollers = max(1, pollers)
        self.sources = sources
        self.commentsPerSource = commentsPerSource
        self.policies = policies
        self.connectors = connectors
        self.workdir = workdir
    }

    /// One store per poller: the SQLite file (one poller), or connections to the emptied PostgreSQL database.
    func openStores(sqlite path: String, logger: Logger) async throws -> [any Store] {
        guard let postgres else { return [try ThreadGuardDatabase(path: path)] }
        try await PostgresStore.administer(postgres) { admin in
            try await admin.execute("DROP SCHEMA public CASCADE")
            try await admin.execute("CREATE SCHEMA public")
        }
        var stores: [any Store] = []
        for _ in 0..<pollers { stores.append(try await PostgresStore.open(postgres, logger: logger)) }
        return stores
    }

    public func run() async throws -> Result {
        try PrivateFiles.createFolder(workdir)
        let database = (workdir as NSString).appendingPathComponent("ingest.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        let worlds = (0..<sources).map { SandboxWorld.generated(index: $0, comments: commentsPerSource) }
        let state = SandboxState(worlds: worlds, token: "bench")
        let sandbox = try await SandboxServer.start(state: state)
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let registry = try ConnectorRegistry(directory: connectors)
        guard let manifest = registry.manifests["facebook"] else { throw ConnectorError.unsupported("no facebook manifest") }
        let stores = try await openStores(sqlite: database, logger: logger)
        let db = stores[0]
        let connectorList: [any PlatformConnector] = try worlds.map { world in
            try registry.connector(for: SourceConfig(name: "page-\(world.accountID)", connector: "facebook", account: world.accountID,
                                                     baseURL: sandbox.baseURL, tokenEnv: "BENCH_TOKEN"),
                                   http: http, environment: ["BENCH_TOKEN": "bench"], logger: logger)
        }
        let judge = Judge(policies: try PolicyLoader.load(directory: policies))
        let started = Date()
        // As `threadguard poll` does it: deciding goes on while pages arrive, and finishes after the last one. On
        // PostgreSQL each poller leases sources and decides what its leases brought in.
        let concurrency = concurrentSources
        let runs = try await withThrowingTaskGroup(of: ([SourcePollResult], Decider.Counts, Date).self) { group in
            for (k, store) in stores.enumerated() {
                group.addTask {
                    var decider = Decider(database: store, judge: judge, logger: logger)
                    let leasing = (store as? any SourceLeases).map { LeasedPolling(leases: $0, owner: "bench-poller-\(k)") }
                    if let taken = leasing?.taken { decider.sources = { taken.all } }
                    return try await Poller(database: store, logger: logger, maxConcurrentSources: concurrency)
                        .pollWhileDeciding(connectorList, decider: decider, leasing: leasing)
                }
            }
            var all: [([SourcePollResult], Decider.Counts, Date)] = []
            for try await run in group { all.append(run) }
            return all
        }
        let decided = Date()
        let results = runs.flatMap(\.0)
        let counts = runs.reduce(0) { $0 + $1.1.decided }
        let polled = runs.map(\.2).max() ?? decided
        if let failure = results.first(where: { $0.error != nil })?.error { throw failure }
        let requests = await state.requestCount
        await sandbox.stop()
        // Each page: one feed page, then ceil(comments / page size) comment pages for its post.
        let commentPages = (commentsPerSource + manifest.pageSize - 1) / manifest.pageSize
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Result(sources: sources, comments: sources * commentsPerSource, stored: try db.allItems().filter { !$0.isBrand }.count,
                      decided: counts,
                      pollSeconds: polled.timeIntervalSince(started), decideSeconds: decided.timeIntervalSince(polled),
                      requests: requests, minimumRequests: sources * (1 + max(1, commentPages)),
                      peakRSSMiB: Double(usage.ru_maxrss) / 1024)
    }
}
