import ArgumentParser
import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

/// `threadguard bench webhook`: from the sandbox sending a webhook for a new PHI comment to the hide call reaching the
/// sandbox, through `serve`'s webhook route, the judge (rules and the shipped model) and the executor, on loopback.
struct WebhookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Webhook to hidden: p50 and p95 from a PHI comment's webhook leaving the sandbox to its hide reaching it.")
    @Option(help: "Webhooks to send, one after another.") var count: Int = 1000
    @Option(help: "A model folder (default: the shipped Models/ when present).") var model: String?
    @Flag(help: "Judge with the rules alone.") var rulesOnly = false
    @Option(help: ArgumentHelp("A PostgreSQL database the benchmark may empty (the password in $THREADGUARD_BENCH_POSTGRES_PASSWORD), instead of a SQLite file.", valueName: "address"))
    var postgres: String?

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count takes 1 to 100000") }
    }

    func run() async throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("threadguard-webhook-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        try PrivateFiles.createFolder(folder + "/anchor")
        try AuditAnchor.createKeyFile(folder + "/anchor/audit.key")
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let world = SandboxWorld.demoFacebook()
        let state = SandboxState(world: world, token: "bench-token")
        let sandbox = try await SandboxServer.start(state: state)
        defer { Task { await sandbox.stop() } }
        if let postgres {
            let location = try PostgresLocation.parse(postgres, passwordEnv: "THREADGUARD_BENCH_POSTGRES_PASSWORD", environment: ProcessInfo.processInfo.environment)
            try await PostgresStore.administer(location) { admin in
                try await admin.execute("DROP SCHEMA public CASCADE")
                try await admin.execute("CREATE SCHEMA public")
            }
        }
        var config = AppConfig(database: postgres ?? folder + "/db/tg.sqlite", policies: ShippedFolders.locate("Policies"), connectors: ShippedFolders.locate("Connectors"),
                               sources: [SourceConfig(name: "fb", connector: "facebook", account: world.accountID, baseURL: sandbox.baseURL, tokenEnv: "FB")],
                               audit: AuditSettings(keyFile: folder + "/anchor/audit.key", checkpointFile: folder + "/anchor/checkpoints.jsonl"),
                               models: rulesOnly ? .none : model.map { .required($0) } ?? .ifPresent(ShippedFolders.locate("Models")))
        config.webhooks = WebhookSettings(meta: .init(appSecretEnv: "META_SECRET", verifyTokenEnv: "META_VERIFY"))
        config.folder = folder  // last good copies of policies and model go here, not into the working folder
        config.databasePasswordEnv = postgres == nil ? nil : "THREADGUARD_BENCH_POSTGRES_PASSWORD"
        var environment = ["FB": "bench-token", "META_SECRET": "bench-secret", "META_VERIFY": "bench-verify"]
        environment["THREADGUARD_BENCH_POSTGRES_PASSWORD"] = ProcessInfo.processInfo.environment["THREADGUARD_BENCH_POSTGRES_PASSWORD"]
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        _ = try await PollRun(config: config, environment: environment, http: http, logger: logger).run()
        let database = try config.openStore(environment: environment)
        let judge = try config.makeJudge().judge
        let runner = ActionRunner(config: config, database: database, environment: environment, http: http, logger: logger,
                                  checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
        let app = ReviewApp(database: database, judge: judge, runActions: { await runner.run() }, logger: logger,
                            webhooks: WebhookHandling.make(config: config, database: database, judge: judge, environment: environment,
                                                           logger: logger, runActions: { await runner.run() }))
        let server = try await ReviewServer.start(app: app, logger: logger)
        let sender = MetaWebhookSender(url: server.baseURL + "/webhooks/meta", appSecret: "bench-secret", http: http)
        let post = world.posts[0]
        var latencies: [Double] = []
        var missed = 0
        var seen = await state.actions.count
        for n in 0..<count {
            let comment = SandboxWorld.Comment(id: "\(post.id)_77\(n)", postID: post.id, parentID: nil, authorID: "bench\(n)", authorName: "Bench \(n)",
                                               message: "call me at 614-555-\(String(format: "%04d", n % 10_000)), my husband's pacemaker keeps beeping",
                                               createdAt: Date())
            await state.addComment(comment)
            let start = ContinuousClock.now
            _ = try await sender.deliver(MetaWebhookSender.facebookBody(comment, pageID: world.accountID))
            var hidden = false
            while ContinuousClock.now - start < .seconds(10) {
                let actions = await state.actions
                if actions[seen...].contains(where: { $0.kind == "hide" && $0.target == comment.id }) {
                    hidden = true
                    break
                }
                try await Task.sleep(nanoseconds: 200_000)
            }
            seen = await state.actions.count
            if hidden { latencies.append((ContinuousClock.now - start).seconds) } else { missed += 1 }
        }
        await server.stop()
        latencies.sort()
        func quantile(_ q: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] * 1000 }
        print("webhooks \(count), hidden \(latencies.count), not hidden within 10 s \(missed) (judge: \(rulesOnly ? "rules alone" : "rules and model"))")
        print(String(format: "webhook to hidden: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", quantile(0.5), quantile(0.95), quantile(0.99),
                     (latencies.last ?? .nan) * 1000))
    }
}

