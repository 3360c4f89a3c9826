import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardTestSupport
import ThreadGuardWeb
import ThreadGuardWorkflow

/// The six sandbox platforms on loopback with the demo's worlds, a configuration file pointing at them (for the
/// `threadguard` binary as much as for code in this process), and the environment holding their tokens.
struct SixPlatforms {
    let folder: String
    let state: SandboxState
    let sandbox: SandboxServer
    let configPath: String
    let config: AppConfig
    let environment: [String: String]

    static let token = "six-platforms-token"

    /// `postgres`: the database on the test PostgreSQL server instead of a SQLite file.
    static func start(_ name: String, policies: String = Repo.root + "/Policies", delayMilliseconds: Int = 0,
                      postgres: TestPostgresDatabase? = nil) async throws -> SixPlatforms {
        let folder = NSTemporaryDirectory() + "tg-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let worlds = Platform.allCases.map { SandboxWorld.demo(platform: $0) }
        let state = SandboxState(worlds: worlds, token: token)
        await state.setDelay(milliseconds: delayMilliseconds)
        let sandbox = try await SandboxServer.start(state: state)
        // The database in a folder of its own; the audit key and checkpoints outside it, named in the configuration so
        // that every process (this one, the CLI, cron's poll) uses the same.
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        let database = postgres.map { "\($0.url)\ndatabase_password_env: SIX_PG_PASSWORD" } ?? "db/tg.sqlite"
        var yaml = """
            database: \(database)
            audit_key_file: \(folder)/anchor/audit.key
            audit_checkpoints: \(folder)/anchor/checkpoints.jsonl
            policies: \(policies)
            connectors: \(Repo.root)/Connectors
            sources:

            """
        for world in worlds {
            let prefix = world.platform == .facebook ? "" : "/\(world.platform.rawValue)"
            yaml += """
                  - name: \(world.platform.rawValue)
                    connector: \(world.platform.rawValue)
                    account: "\(world.accountID)"
                    base_url: \(sandbox.baseURL)\(prefix)
                    token_env: \(world.platform == .reddit ? "SIX_REDDIT" : "SIX_TOKEN")

                """
        }
        let configPath = folder + "/threadguard.yaml"
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/anchor", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        FileManager.default.createFile(atPath: folder + "/anchor/audit.key", contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        var environment = ["SIX_TOKEN": token, "SIX_REDDIT": "app:secret:mod:pw", "PATH": "/usr/bin:/bin"]
        if let postgres { environment["SIX_PG_PASSWORD"] = postgres.base.password ?? "" }
        return SixPlatforms(folder: folder, state: state, sandbox: sandbox, configPath: configPath,
                            config: try AppConfig.load(file: configPath), environment: environment)
    }

    func stop() async {
        await sandbox.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The shipped policies with every rule that acts at once made to wait for a person (`automation: draft`).
    static func draftPolicies(in folder: String) throws -> String {
        let target = folder + "/policies-draft"
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: Repo.root + "/Policies", toPath: target)
        let rulesPath = target + "/rules.yaml"
        let rules = try String(contentsOfFile: rulesPath, encoding: .utf8)
        var blocks = rules.components(separatedBy: "\n  - id: ")
        for k in 1..<blocks.count where !blocks[k].contains("automation:") {
            blocks[k] = blocks[k].replacingOccurrences(of: "\n    priority: ", with: "\n    automation: draft\n    priority: ")
        }
        try blocks.joined(separator: "\n  - id: ").write(toFile: rulesPath, atomically: true, encoding: .utf8)
        return target
    }

    /// The review page on `database` with this rig's sources: what people approve, hide or unhide goes out at once
    /// through `runner`, whose reply guard reads every reply (as `serve` runs it).
    func reviewPage(on database: any Store, judge: Judge, http: CurlHTTPClient) async throws -> (server: ReviewServer, runner: ActionRunner) {
        let runner = ActionRunner(config: config, database: database, environment: environment, http: http, logger: quietLogger,
                                  checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
        let app = ReviewApp(database: database, judge: judge, runActions: { await runner.run() }, logger: quietLogger)
        return (try await ReviewServer.start(app: app, logger: quietLogger), runner)
    }

    /// `count` browsers signed in as `user` on `server`, each with its CSRF token.
    func sessions(_ count: Int, on server: ReviewServer, as user: String, password: String, http: CurlHTTPClient) async throws -> [(WebRig.Session, String)] {
        var sessions: [(WebRig.Session, String)] = []
        for _ in 0..<count {
            let session = WebRig.Session(base: server.baseURL, client: http)
            sessions.append((session, try await session.signIn(user, password: password)))
        }
        return sessions
    }

    /// Replies as the platforms received them.
    func sandboxReplies() async -> [SandboxAction] {
        await state.actions.filter { $0.kind == "private_reply" || $0.kind == "public_reply" }
    }

    /// Runs `threadguard ARGUMENTS` with this configuration's environment; returns the process (started).
    func launch(_ binary: String, _ arguments: [String], output: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = output ?? FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// Waits for a child process without blocking a thread of the cooperative pool (the sandbox in this process needs them).
func exited(_ process: Process) async throws {
    while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
}

let quietLogger = Logger(label: "quiet", factory: { _ in SwiftLogNoOpLogHandler() })
