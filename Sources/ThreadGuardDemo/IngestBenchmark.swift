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

    public init(sources: Int, commentsPerSource: Int, policies: String, connectors: String, workdir: String,
                concurrentSources: Int = Poller.defaultConcurrentSources) {
        self.concurrentSources = concurrentSources
        self.sources = sources
        self.commentsPerSource = commentsPerSource
        self.policies = policies
        self.connectors = connectors
        self.workdir = workdir
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
        let db = try ThreadGuardDatabase(path: database)
        let connectorList: [any PlatformConnector] = try worlds.map { world in
            try registry.connector(for: SourceConfig(name: "page-\(world.accountID)", connector: "facebook", account: world.accountID,
                                                     baseURL: sandbox.baseURL, tokenEnv: "BENCH_TOKEN"),
                                   http: http, environment: ["BENCH_TOKEN": "bench"], logger: logger)
        }
        let decider = Decider(database: db, judge: Judge(policies: try PolicyLoader.load(directory: policies)), logger: logger)
        let started = Date()
        // As `threadguard poll` does it: deciding goes on while pages arrive, and finishes after the last one.
        let (results, counts, polled) = try await Poller(database: db, logger: logger, maxConcurrentSources: concurrentSources).pollWhileDeciding(connectorList, decider: decider)
        let decided = Date()
        if let failure = results.first(where: { $0.error != nil })?.error { throw failure }
        let requests = await state.requestCount
        await sandbox.stop()
        // Each page: one feed page, then ceil(comments / page size) comment pages for its post.
        let commentPages = (commentsPerSource + manifest.pageSize - 1) / manifest.pageSize
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Result(sources: sources, comments: sources * commentsPerSource, stored: try db.allItems().filter { !$0.isBrand }.count,
                      decided: counts.decided,
                      pollSeconds: polled.timeIntervalSince(started), decideSeconds: decided.timeIntervalSince(polled),
                      requests: requests, minimumRequests: sources * (1 + max(1, commentPages)),
                      peakRSSMiB: Double(usage.ru_maxrss) / 1024)
    }
}
