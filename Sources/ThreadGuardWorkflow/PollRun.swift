import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore

/// What one run of the pipeline did, for people and for cron's exit code.
public struct RunSummary: Sendable {
    public var polled = 0
    public var decided = 0
    public var flagged = 0
    public var hidden = 0
    public var repliesDrafted = 0
    public var repliesSent = 0
    /// Public replies (on platforms without private messages, the "take this private" pointer to the phone line).
    public var publicRepliesSent = 0
    /// Replies not sent because the brand had already answered on the platform (its reply in the thread or sent box).
    public var repliesAlreadyThere = 0
    /// Replies the reply guard held back for a person at the last moment.
    public var repliesHeld = 0
    public var deadActions = 0
    /// One line per source a person must mend (token, permissions, failing longer than the failure window).
    public var sourceProblems: [String] = []
    /// Sources that failed in passing (retried by the next runs; `status` shows them).
    public var passingProblems: [String] = []
    /// What alerting did this run.
    public var alerts = AlertOutcome()
    /// A few flagged comments with their identifiers masked.
    public var examples: [String] = []

    /// Whether cron should tell someone (exit 3): a source a person must mend, an action or an alert that gave up.
    public var needsAttention: Bool { !sourceProblems.isEmpty || deadActions > 0 || alerts.gaveUp > 0 }
}

/// One pass of the whole pipeline: poll every source, decide every new item, carry out the actions.
public struct PollRun {
    public let config: AppConfig
    public let environment: [String: String]
    public let http: any HTTPTransport
    public let logger: Logger
    /// Told what each stage did (for a person watching a terminal); never comment text.
    public var progress: (@Sendable (String) -> Void)?

    public init(config: AppConfig, environment: [String: String], http: any HTTPTransport, logger: Logger,
                progress: (@Sendable (String) -> Void)? = nil) {
        self.config = config
        self.environment = environment
        self.http = http
        self.logger = logger
        self.progress = progress
    }

    public func run() async throws -> RunSummary {
        let (judge, warnings) = try config.makeJudge()
        let registry = try ConnectorRegistry(directory: config.connectors)
        let database = try config.openStore(environment: environment)
        var summary = RunSummary()
        for warning in warnings {
            summary.sourceProblems.append(warning)
            logger.warning("policies or model file unusable; using the last good copy", metadata: ["policies.folder": "\(config.policies)"])
        }
        let (connectors, failures) = registry.connectors(for: config.sources, http: http, environment: environment, logger: logger)
        var problems: [(source: String, description: String)] = []
        for (source, error) in failures {
            try await database.registerSource(name: source.name, connector: source.connector, account: source.account)
            var needsToken = false
            if case .needsNewToken = error { needsToken = true }
            try await database.recordPollOutcome(source: source.name, error: error.description, kind: error.kindName, needsToken: needsToken,
                                                 apiBudget: nil, at: Date())
            problems.append((source.name, error.description))
        }
        progress?("polling \(connectors.count) source(s) and judging new items…")
        let publicOnly = config.publicOnlySources(registry)
        let metrics = MetricsTally()
        var decider = Decider(database: database, judge: judge, logger: logger, publicOnlySources: publicOnly)
        decider.metrics = metrics
        decider.responseTargets = config.review.responseTargets
        var poller = Poller(database: database, logger: logger)
        poller.metrics = metrics
        // On a shared store (PostgreSQL) each source is leased to one poller at a time.
        let leasing = (database as? any SourceLeases).map { LeasedPolling(leases: $0, seconds: Int(config.sourceLease)) }
        if let taken = leasing?.taken { decider.sources = { taken.all } }
        let (results, decided, _) = try await poller.pollWhileDeciding(Array(connectors.values), decider: decider, leasing: leasing)
        for result in results.sorted(by: { $0.source < $1.source }) {
            progress?("  \(result.source): \(result.newItems) new" + (result.error.map { " — \($0.kindName.replacingOccurrences(of: "_", with: " "))" } ?? ""))
        }
        summary.polled = results.reduce(0) { $0 + $1.newItems }
        problems += results.compactMap { result in result.error.map { (result.source, $0.description) } }
        // Passing trouble (network, 5xx, rate limits) is retried by the next runs; a person is needed only for a
        // refused token, a failure retrying cannot mend, or failures lasting longer than the failure window.
        let records = Dictionary(try database.sourceRecords().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for problem in problems {
            if records[problem.source]?.needsPerson(window: config.failureWindow) ?? true {
                summary.sourceProblems.append(problem.description)
            } else {
                summary.passingProblems.append(problem.description)
            }
        }

        summary.decided = decided.decided
        summary.flagged = decided.flagged
        summary.repliesDrafted = decided.drafted
        progress?("carrying out actions…")
        // Every reply is read by the reply guard once more, against its whole stored thread, just before it leaves.
        var executor = Executor(database: database, logger: logger, checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
        executor.metrics = metrics
        let outcome = try await executor.execute(connectors: connectors)
        summary.hidden = outcome.done[.hide, default: 0]
        summary.repliesSent = outcome.done[.privateReply, default: 0]
        summary.publicRepliesSent = outcome.done[.publicReply, default: 0]
        summary.repliesAlreadyThere = outcome.alreadyThere.values.reduce(0, +)
        summary.repliesHeld = outcome.held
        summary.deadActions = outcome.dead
        summary.examples = try Examples.masked(database: database, limit: 4)
        if !config.alerts.channels.isEmpty {
            progress?("alerting…")
            summary.alerts = try await AlertDispatcher(database: database, settings: config.alerts, failureWindow: config.failureWindow,
                                                       environment: environment, http: http, logger: logger).run()
            metrics.count("threadguard_alerts_sent_total", [:], by: Double(summary.alerts.sent))
            metrics.count("threadguard_alerts_failed_total", [:], by: Double(summary.alerts.failed))
        }
        for (source, _) in failures {
            metrics.count("threadguard_failures_total", ["source": source.name, "platform": source.connector, "stage": "connect", "reason": "setup"])
        }
        try metrics.save(to: database)
        return summary
    }
}
