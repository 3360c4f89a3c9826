import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardWorkflow

/// `threadguard demo`: the six sandbox platforms on loopback, a fresh database, one real pass of the pipeline
/// over libcurl, and a check that the sandbox received exactly the actions the summary reports.
public struct DemoRun {
    public static let tokenVariable = "THREADGUARD_DEMO_TOKEN"
    /// Reddit's variable holds the script app's credentials for the password grant.
    public static let redditVariable = "THREADGUARD_DEMO_REDDIT"
    public static func sourceName(_ platform: Platform) -> String { "meridian-\(platform.rawValue)" }

    public let workdir: String
    public let policies: String
    public let connectors: String
    public let logger: Logger
    /// The learned detectors the demo judges with (the shipped model when the command finds it).
    public let models: ModelSetting

    public init(workdir: String, policies: String, connectors: String, models: ModelSetting = .none, logger: Logger) {
        self.workdir = workdir
        self.policies = policies
        self.connectors = connectors
        self.models = models
        self.logger = logger
    }

    public struct Outcome: Sendable {
        public var summary: RunSummary
        /// The configuration the demo ran with (its database, audit key and checkpoints, sources).
        public var config: AppConfig
        public var sandboxURL: String
        public var database: String
        public var actionLog: String
        public var sandboxActions: [SandboxAction]
        public var comments: Int
        public var posts: Int
        public var worlds: [SandboxWorld]
        /// The review queue afterwards: items waiting for a person, the rows they make (near-identical comments are
        /// one), and items the automation handled and closed.
        public var queue = (open: 0, rows: 0, closedByAutomation: 0)

        /// Hides as the platforms received them (Mastodon, which cannot hide another account's reply, gets a report).
        public var sandboxHides: Int { sandboxActions.filter { $0.kind == "hide" || $0.kind == "report" }.count }

        /// The sandbox's log holds exactly the hides and replies the summary reports.
        public var actionsMatch: Bool {
            sandboxHides == summary.hidden
                && sandboxActions.filter { $0.kind == "private_reply" }.count == summary.repliesSent
                && sandboxActions.filter { $0.kind == "public_reply" }.count == summary.publicRepliesSent
                && sandboxActions.count == summary.hidden + summary.repliesSent + summary.publicRepliesSent
        }
    }

    /// Runs the demo; `keepServing` is called with the running sandbox before it stops (for `--serve`).
    public func run(keepServing: ((SandboxServer, AppConfig, [String: String], Outcome) async throws -> Void)? = nil) async throws -> Outcome {
        // The database in a folder of its own; the audit key and checkpoints beside it, outside that folder.
        try PrivateFiles.createFolder(workdir + "/db")
        try PrivateFiles.createFolder(workdir + "/audit")
        let database = workdir + "/db/demo.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        let audit = AuditSettings(keyFile: workdir + "/audit/audit.key", checkpointFile: workdir + "/audit/checkpoints.jsonl")
        if !FileManager.default.fileExists(atPath: audit.keyFile!) { try AuditAnchor.createKeyFile(audit.keyFile!) }
        try? FileManager.default.removeItem(atPath: audit.checkpointFile!)
        let actionLog = (workdir as NSString).appendingPathComponent("sandbox-actions.jsonl")
        let token = "sandbox-\(UUID().uuidString)"
        let worlds = Platform.allCases.map { SandboxWorld.demo(platform: $0) }
        let state = SandboxState(worlds: worlds, token: token, actionLogPath: actionLog)
        let sandbox = try await SandboxServer.start(state: state)
        let http = CurlHTTPClient()
        do {
            let sources = worlds.map { world in
                SourceConfig(name: Self.sourceName(world.platform), connector: world.platform.rawValue, account: world.accountID,
                             baseURL: sandbox.baseURL + (world.platform == .facebook ? "" : "/\(world.platform.rawValue)"),
                             tokenEnv: world.platform == .reddit ? Self.redditVariable : Self.tokenVariable)
            }
            let config = AppConfig(database: database, policies: policies, connectors: connectors, sources: sources, audit: audit, models: models)
            let environment = [Self.tokenVariable: token, Self.redditVariable: "threadguard-demo:demo-secret:meridian-mod:\(UUID().uuidString)"]
            let summary = try await PollRun(config: config, environment: environment, http: http, logger: logger).run()
            var outcome = Outcome(
                summary: summary, config: config, sandboxURL: sandbox.baseURL, database: database, actionLog: actionLog,
                sandboxActions: await state.actions, comments: worlds.reduce(0) { $0 + $1.comments.count },
                posts: worlds.reduce(0) { $0 + $1.posts.count }, worlds: await state.allWorlds)
            outcome.queue = try Self.queueFigures(config)
            if let keepServing { try await keepServing(sandbox, config, environment, outcome) }
            http.shutdown()
            await sandbox.stop()
            return outcome
        } catch {
            http.shutdown()
            await sandbox.stop()
            throw error
        }
    }

    static func queueFigures(_ config: AppConfig) throws -> (open: Int, rows: Int, closedByAutomation: Int) {
        let store = try config.openDatabase()
        var open = QueueFilter()
        open.grouped = false
        let items = try store.queue(open).total
        let rows = try store.queue(QueueFilter()).total
        let closed = try store.auditLog().filter { $0.event == "review.auto_closed" }.count
        return (items, rows, closed)
    }
}
