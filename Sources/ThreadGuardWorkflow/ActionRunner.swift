import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardHTTP
import ThreadGuardStore

/// Carries out pending platform actions outside a poll (after a person approves, hides or unhides in the review
/// page or the CLI), through the configured sources' connectors.
///
/// One runner per process, on the process's one database: requests that arrive while a run is going are folded
/// into one more run after it (a caller returns once a run that started after its request has finished), so twenty
/// approvals at once start at most two executor runs, never twenty. Across processes the outbox's claims keep each
/// action to one sender.
public actor ActionRunner {
    public let config: AppConfig
    let database: any Store
    let environment: [String: String]
    let http: any HTTPTransport
    let logger: Logger
    let checkReply: (@Sendable (String, ItemRecord) -> String?)?
    private var connectors: [String: any PlatformConnector]?
    private var requested = 0
    private var completed = 0
    private var draining = false
    private var waiters: [(ticket: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var totals = (done: 0, dead: 0)

    public init(config: AppConfig, database: any Store, environment: [String: String], http: any HTTPTransport, logger: Logger,
                checkReply: (@Sendable (String, ItemRecord) -> String?)? = nil) {
        self.config = config
        self.database = database
        self.environment = environment
        self.http = http
        self.logger = logger
        self.checkReply = checkReply
    }

    /// Runs the outbox (or joins the run about to start); returns how many actions completed and gave up in the
    /// runs this call waited for.
    @discardableResult
    public func run() async -> (done: Int, dead: Int) {
        requested += 1
        let ticket = requested
        let before = totals
        if !draining {
            draining = true
            Task { await drain() }
        }
        await withCheckedContinuation { waiters.append((ticket, $0)) }
        return (totals.done - before.done, totals.dead - before.dead)
    }

    private func drain() async {
        while completed < requested {
            let target = requested
            await runOnce()
            completed = target
            let ready = waiters.filter { $0.ticket <= completed }
            waiters.removeAll { $0.ticket <= completed }
            for waiter in ready { waiter.continuation.resume() }
        }
        draining = false
    }

    private func runOnce() async {
        do {
            if connectors == nil {
                // A source without a connector (no token) keeps its actions pending for the next poll, which reports it.
                connectors = try ConnectorRegistry(directory: config.connectors)
                    .connectors(for: config.sources, http: http, environment: environment, logger: logger).connectors
            }
            var executor = Executor(database: database, logger: logger, checkReply: checkReply)
            let metrics = MetricsTally()
            executor.metrics = metrics
            let outcome = try await executor.execute(connectors: connectors ?? [:])
            try? metrics.save(to: database)
            totals.done += outcome.done.values.reduce(0, +)
            totals.dead += outcome.dead
        } catch {
            logger.warning("pending actions could not be run", metadata: ["error": "\(type(of: error))"])
        }
    }
}
