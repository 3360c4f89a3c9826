import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardWorkflow

/// `threadguard demo`: the sandbox platform on loopback, a fresh database, one real pass of the pipeline
/// over libcurl, and a check that the sandbox received exactly the actions the summary reports.
public struct DemoRun {
    public static let tokenVariable = "THREADGUARD_DEMO_TOKEN"
    public static let sourceName = "meridian-facebook"

    public let workdir: String
    public let policies: String
    public let connectors: String
    public let logger: Logger

    public init(workdir: String, policies: String, connectors: String, logger: Logger) {
        self.workdir = workdir
        self.policies = policies
        self.connectors = connectors
        self.logger = logger
    }

    public struct Outcome: Sendable {
        public var summary: RunSummary
        public var sandboxURL: String
        public var database: String
        public var actionLog: String
        public var sandboxActions: [SandboxAction]
        public var comments: Int
        public var posts: Int

        /// The sandbox's log holds exactly the hides and private replies the summary reports.
        public var actionsMatch: Bool {
            sandboxActions.filter { $0.kind == "hide" }.count == summary.hidden
                && sandboxActions.filter { $0.kind == "private_reply" }.count == summary.repliesSent
                && sandboxActions.count == summary.hidden + summary.repliesSent
        }
    }

    /// Runs the demo; `keepServing` is called with the running sandbox before it stops (for `--serve`).
    public func run(keepServing: ((SandboxServer) async throws -> Void)? = nil) async throws -> Outcome {
        try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        let database = (workdir as NSString).appendingPathComponent("demo.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        let actionLog = (workdir as NSString).appendingPathComponent("sandbox-actions.jsonl")
        let token = "sandbox-\(UUID().uuidString)"
        let world = SandboxWorld.demoFacebook()
        let state = SandboxState(world: world, token: token, actionLogPath: actionLog)
        let sandbox = try await SandboxServer.start(state: state)
        let http = CurlHTTPClient()
        do {
            let config = AppConfig(
                database: database, policies: policies, connectors: connectors,
                sources: [SourceConfig(name: Self.sourceName, connector: "facebook", account: world.accountID,
                                       baseURL: sandbox.baseURL, tokenEnv: Self.tokenVariable)])
            let summary = try await PollRun(config: config, environment: [Self.tokenVariable: token], http: http, logger: logger).run()
            let outcome = Outcome(
                summary: summary, sandboxURL: sandbox.baseURL, database: database, actionLog: actionLog,
                sandboxActions: await state.actions, comments: world.comments.count, posts: world.posts.count)
            if let keepServing { try await keepServing(sandbox) }
            http.shutdown()
            await sandbox.stop()
            return outcome
        } catch {
            http.shutdown()
            await sandbox.stop()
            throw error
        }
    }
}
