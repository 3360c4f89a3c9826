import Foundation
import HummingbirdBcrypt
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

/// "A reply is never posted twice", tried the way an attacker and a busy team would: many approvals at once through
/// the review page, a cron poll and a CLI approval at the same moment, more executors in this process, and a
/// database restored from a backup or started afresh against platforms that already hold the replies.
@Suite("every reply reaches the platform once", .serialized)
struct SentOnceTests {
    static let replyKinds: Set<String> = ["private_reply", "public_reply"]

    @Test("20 approvals through the review page, a poll, a CLI approval and three more executors at the same moment: each reply once, none dead")
    func concurrentApprovals() async throws {
        let scratch = NSTemporaryDirectory() + "tg-sent-once-policies-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let rig = try await SixPlatforms.start("sent-once", policies: try SixPlatforms.draftPolicies(in: scratch), delayMilliseconds: 15)
        let database = try rig.config.openDatabase()
        try database.addUser(name: "rita", passwordHash: Bcrypt.hash("rita-password-0001", cost: 4), role: "reviewer", actor: "test")
        try database.addUser(name: "carl", passwordHash: Bcrypt.hash("carl-password-0001", cost: 4), role: "reviewer", actor: "test")
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        // The first poll decides everything; with these policies every reply waits for a person.
        _ = try await PollRun(config: rig.config, environment: rig.environment, http: http, logger: quietLogger).run()
        #expect(await rig.sandboxReplies().isEmpty)
        let drafts = try database.allActions().filter { Self.replyKinds.contains($0.kind) && $0.status == "draft" }
        let records = try Dictionary(grouping: drafts.map { try #require(try database.item(id: $0.itemID)) }, by: \.platform)
        #expect(records.count == 6, "drafted replies on every platform")
        // Two items per platform for the page (20 approvals: the first ten items get two each), one more for the CLI.
        let targets = Array(Platform.allCases.flatMap { (records[$0.rawValue] ?? []).prefix(2) }.compactMap(\.id).prefix(10))
        let cliTarget = try #require(drafts.map(\.itemID).first { !targets.contains($0) })
        #expect(targets.count == 10)

        let (server, runner) = try await rig.reviewPage(on: database, judge: Judge(policies: try PolicyLoader.load(directory: rig.config.policies)), http: http)
        let sessions = try await rig.sessions(20, on: server, as: "rita", password: "rita-password-0001", http: http)
        #expect(sessions.allSatisfy { !$0.1.isEmpty })
        let binary = try builtBinary()
        // All at once: the poll and the CLI approval start, the 20 approvals go in, and three more executors with
        // databases of their own (as other processes would) run beside them.
        let poll = try rig.launch(binary, ["poll", "--config", rig.configPath])
        let cli = try rig.launch(binary, ["queue", "approve", String(targets[0]), "--config", rig.configPath, "--as", "carl"])
        let cli2 = try rig.launch(binary, ["queue", "approve", String(cliTarget), "--config", rig.configPath, "--as", "carl"])
        let statuses = await withTaskGroup(of: Int.self) { group in
            for (k, (session, token)) in sessions.enumerated() {
                let item = targets[k % targets.count]
                group.addTask { (try? await session.post("/item/\(item)/act", ["csrf": token, "action": "approve"]).status) ?? -1 }
            }
            for _ in 0..<3 {
                group.addTask {
                    guard let own = try? rig.config.openDatabase() else { return -2 }
                    let connectors = try? ConnectorRegistryHelper.connectors(rig, http: http)
                    _ = try? await Executor(database: own, logger: quietLogger).run(connectors: connectors ?? [:])
                    return 0
                }
            }
            var all: [Int] = []
            for await status in group { all.append(status) }
            return all
        }
        for process in [poll, cli, cli2] { try await exited(process) }
        #expect(cli2.terminationStatus == 0, "the CLI approval of an item nobody else approved succeeds")
        // Approvals either went in or found the reply already approved; nothing else.
        #expect(statuses.filter { $0 != 0 }.allSatisfy { $0 == 303 || $0 == 409 }, "\(statuses)")
        // Whatever is still pending goes out now, once.
        await runner.run()
        await server.stop()

        let approved = Set(targets + [cliTarget])
        let actions = try database.allActions().filter { Self.replyKinds.contains($0.kind) }
        #expect(actions.filter { $0.status == "dead" }.isEmpty, "no reply marked dead: \(actions.filter { $0.status == "dead" }.map(\.lastError))")
        for action in actions where approved.contains(action.itemID) { #expect(action.status == "done", "item \(action.itemID): \(action.status)") }
        for action in actions where !approved.contains(action.itemID) { #expect(action.status == "draft") }
        let sent = await rig.sandboxReplies()
        #expect(sent.count == actions.filter { $0.status == "done" }.count, "the platforms received exactly the replies recorded as done")
        #expect(sent.count == approved.count)
        // On the platforms that reply to a comment by its id, no comment got two.
        let byTarget = Dictionary(grouping: sent.filter { !$0.target.hasPrefix("user:") }, by: { "\($0.platform):\($0.kind):\($0.target)" })
        #expect(byTarget.values.allSatisfy { $0.count == 1 }, "\(byTarget.filter { $0.value.count > 1 }.keys)")
        #expect(await rig.state.duplicateReplyAttempts == 0, "no platform refused a second reply")
        await rig.stop()
    }

    @Test("a database restored from a backup, or started afresh, sends no second reply on any platform")
    func restoredBackup() async throws {
        let rig = try await SixPlatforms.start("restore")
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        let first = try await PollRun(config: rig.config, environment: rig.environment, http: http, logger: quietLogger).run()
        let sentFirst = await rig.sandboxReplies()
        #expect(first.repliesSent + first.publicRepliesSent == sentFirst.count)
        #expect(Set(sentFirst.map(\.platform)).count == 6, "replies went out on every platform")
        let database = rig.config.database
        // A backup taken after the decisions and before the replies went out: its replies are still pending.
        let backup = rig.folder + "/backup.sqlite"
        try rig.config.openDatabase().backup(to: backup)
        try sqlite(backup, "UPDATE action SET status = 'pending', owner = NULL, claimedAt = NULL, platformRef = NULL WHERE kind IN ('private_reply', 'public_reply') AND status = 'done'")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: database)
        let restored = try await PollRun(config: rig.config, environment: rig.environment, http: http, logger: quietLogger).run()
        #expect(restored.repliesSent + restored.publicRepliesSent == 0)
        #expect(restored.repliesAlreadyThere == sentFirst.count + first.repliesAlreadyThere, "every pending reply was found on its platform")
        #expect(restored.deadActions == 0)
        #expect(await rig.sandboxReplies() == sentFirst)
        // A fresh database against platforms that already hold every reply.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        let fresh = try await PollRun(config: rig.config, environment: rig.environment, http: http, logger: quietLogger).run()
        #expect(fresh.repliesSent + fresh.publicRepliesSent == 0)
        #expect(fresh.deadActions == 0)
        let after = await rig.sandboxReplies()
        for platform in Platform.allCases {
            #expect(after.filter { $0.platform == platform.rawValue }.count == sentFirst.filter { $0.platform == platform.rawValue }.count, "\(platform)")
        }
        #expect(await rig.state.duplicateReplyAttempts == 0)
        await rig.stop()
    }

    func sqlite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-cmd", ".timeout 5000", path, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

enum ConnectorRegistryHelper {
    static func connectors(_ rig: SixPlatforms, http: CurlHTTPClient) throws -> [String: any PlatformConnector] {
        try ConnectorRegistry(directory: rig.config.connectors)
            .connectors(for: rig.config.sources, http: http, environment: rig.environment, logger: quietLogger).connectors
    }
}
