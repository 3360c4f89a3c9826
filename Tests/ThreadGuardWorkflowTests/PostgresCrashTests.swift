import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardTestSupport
@testable import ThreadGuardWorkflow

/// The crash test of `CrashSafetyTests` on PostgreSQL, with three pollers at once: the binaries share one database,
/// each source leased to one of them, each killed at random moments.
@Suite("pollers on PostgreSQL under SIGKILL", .serialized)
struct PostgresCrashTests {
    @Test("three pollers on one PostgreSQL, killed 30 times in all: every comment once, no cursor ahead, no reply twice, audit intact")
    func threePollersKilled() async throws {
        guard let database = try await TestPostgresDatabase.make("tg_crash") else { return }
        let binary = try threadguardBinary()
        let folder = try scratchFolder("pgcrash")
        let worlds = Platform.allCases.map { SandboxWorld.demo(platform: $0) }
        let state = SandboxState(worlds: worlds, token: "crash-token")
        await state.setDelay(milliseconds: 2)
        let sandbox = try await SandboxServer.start(state: state)
        let config = folder + "/threadguard.yaml"
        let yaml = """
            database: \(database.url)
            database_password_env: TG_PG_PASSWORD
            source_lease: 2s
            policies: \(RepoFolders.policies)
            connectors: \(RepoFolders.connectors)
            sources:

            """ + sandboxSourcesYAML(worlds, baseURL: sandbox.baseURL, tokenEnv: "CRASH_TOKEN", redditEnv: "CRASH_REDDIT")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["CRASH_TOKEN": "crash-token", "CRASH_REDDIT": "app:secret:mod:pw", "PATH": "/usr/bin:/bin",
                           "TG_PG_PASSWORD": database.base.password ?? "", "THREADGUARD_AUDIT_DIR": folder + "/audit"]
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        var round = 0
        while killed < 30 && round < 40 {
            if round % 3 == 0 { await addCrashComments(state, worlds, run: round) }
            // Three pollers start together; each is killed at its own random moment.
            let pollers = try (0..<3).map { _ in try startPoll(binary, config: config, environment: environment) }
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for process in pollers {
                    let delay = UInt64.random(in: 50_000_000...900_000_000, using: &generator)
                    group.addTask {
                        try await Task.sleep(nanoseconds: delay)
                        guard process.isRunning else { try await exited(process); return false }
                        kill(process.processIdentifier, SIGKILL)
                        try await exited(process)
                        return true
                    }
                }
                for try await wasKilled in group where wasKilled { killed += 1 }
            }
            round += 1
        }
        #expect(killed >= 30, "only \(killed) pollers were killed mid-way in \(round) rounds")
        // Leases of the killed pollers run out; then three pollers run to the end, twice (the second stores the brand's
        // own replies the first posted).
        try await Task.sleep(nanoseconds: 2_500_000_000)
        for _ in 0..<2 {
            let finals = try (0..<3).map { _ in try startPoll(binary, config: config, environment: environment) }
            for process in finals {
                try await exited(process)
                #expect(process.terminationStatus == 0)
            }
        }

        let db = try AppConfig.load(file: config).openStore(environment: environment)
        let finalWorlds = await state.allWorlds
        let stored = try db.allItems()
        let expected = finalWorlds.flatMap { w in w.posts.map { "\(w.platform.rawValue):\($0.id)" } + w.comments.map { "\(w.platform.rawValue):\($0.id)" } }
        #expect(stored.count == expected.count, "every post and comment stored exactly once")
        #expect(Set(stored.map { "\($0.platform):\($0.platformID)" }) == Set(expected))
        try expectNoCursorAhead(finalWorlds, stored: stored, cursors: db.cursors(source:))
        let replies = await expectNoReplyTwice(state)
        #expect(!replies.isEmpty, "replies were sent (the test would prove little otherwise)")
        for action in try db.allActions() where action.kind == "hide" {
            let item = try #require(try db.item(id: action.itemID))
            #expect(action.status == "done", "hide of \(item.platform):\(item.platformID) is \(action.status)")
        }
        let decisions = try Set(stored.compactMap { record in try db.decision(itemID: record.id ?? 0).map { _ in record.id } })
        #expect(decisions.count == stored.filter { !$0.isBrand }.count, "every comment decided once")
        let verification = try db.verifyAudit()
        #expect(verification.isIntact, "\(verification.problem ?? "")")
        #expect(verification.rows > stored.count, "one chain holds every poller's rows")
        print("postgres crash test: \(killed) pollers killed in \(round) rounds; \(stored.count) items, \(replies.count) replies, \(verification.rows) audit rows")
        (db as? PostgresStore)?.close()
        await sandbox.stop()
        await database.drop()
    }
}
