import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardStore

/// What polling one source came to.
public struct SourcePollResult: Sendable {
    public var source: String
    public var newItems: Int
    public var error: ConnectorError?
    /// How long polling this source took, in seconds.
    public var seconds: Double = 0
}

/// Polls sources concurrently; each page is stored with its cursor before the next is asked for, so a
/// crash at any moment loses nothing and duplicates nothing.
public struct Poller: Sendable {
    /// The SQLite store, or the PostgreSQL one.
    let database: any PollStore
    let logger: Logger

    /// Sources polled at once (each polls its own pages in order): polite to the platform, busy enough for us.
    public var maxConcurrentSources: Int
    /// Counts what each source yielded and how long it took, when set.
    public var metrics: MetricsTally?
    public static let defaultConcurrentSources = 8

    public init(database: any PollStore, logger: Logger, maxConcurrentSources: Int = Poller.defaultConcurrentSources) {
        self.database = database
        self.logger = logger
        self.maxConcurrentSources = max(1, maxConcurrentSources)
    }

    public func poll(_ connectors: [any PlatformConnector]) async -> [SourcePollResult] {
        await withTaskGroup(of: SourcePollResult.self) { group in
            var results: [SourcePollResult] = []
            var queue = connectors[...]
            for _ in 0..<min(maxConcurrentSources, queue.count) {
                let connector = queue.removeFirst()
                group.addTask { await poll(connector) }
            }
            for await result in group {
                results.append(result)
                if let connector = queue.popFirst() { group.addTask { await poll(connector) } }
            }
            return results.sorted { $0.source < $1.source }
        }
    }

    func poll(_ connector: any PlatformConnector, renewing leasing: LeasedPolling? = nil) async -> SourcePollResult {
        let source = connector.source
        let database = self.database
        let counter = Counter()
        let started = ContinuousClock.now
        var failure: ConnectorError?
        do {
            try await database.registerSource(name: source.name, connector: source.connector, account: source.account)
            try await connector.poll(
                cursor: { stream in try await database.cursor(source: source.name, stream: stream) },
                store: { page in
                    let ids = try await database.storePage(source: source.name, stream: page.stream, items: page.items, cursor: page.cursor, at: Date())
                    counter.add(ids.count)
                    if let leasing { _ = try await leasing.leases.renewLease(source.name, owner: leasing.owner, seconds: leasing.seconds) }
                })
        } catch let error as ConnectorError {
            failure = error
        } catch {
            // Only the kind of error: its description may quote what was being stored.
            failure = ConnectorError.temporary(source: source.name, detail: "could not store what was fetched (\(type(of: error)))")
        }
        let budget = await connector.apiBudget().flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        var needsToken = false
        if case .needsNewToken? = failure { needsToken = true }
        try? await database.recordPollOutcome(source: source.name, error: failure?.description, kind: failure?.kindName, needsToken: needsToken,
                                              apiBudget: budget, at: Date())
        if let failure {
            // Passing trouble is retried by the next run and shown by `status`: below the default level, so cron stays quiet.
            logger.log(level: failure.isRetryable ? .notice : .error, "poll failed",
                       metadata: ["source.name": "\(source.name)", "error.kind": "\(failure.kindName)"])
        } else {
            logger.info("polled source", metadata: ["source.name": "\(source.name)", "items.new": "\(counter.value)"])
        }
        let seconds = (ContinuousClock.now - started).seconds
        if let metrics {
            let labels = ["source": source.name, "platform": source.connector]
            metrics.count("threadguard_items_polled_total", labels, by: Double(counter.value))
            metrics.count("threadguard_polls_total", labels.merging(["outcome": failure == nil ? "ok" : "failed"]) { $1 })
            if let failure { metrics.count("threadguard_failures_total", labels.merging(["stage": "poll", "reason": failure.kindName]) { $1 }) }
            metrics.observe(.pollDuration, seconds, labels: ["source": source.name])
        }
        return SourcePollResult(source: source.name, newItems: counter.value, error: failure, seconds: seconds)
    }
}

/// A count shared with the page callback.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add(_ n: Int) { lock.withLock { count += n } }
}

extension Duration {
    /// As a number of seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
