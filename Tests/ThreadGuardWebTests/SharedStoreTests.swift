import Foundation
import HummingbirdBcrypt
import Testing
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardTestSupport
import ThreadGuardWeb
import ThreadGuardWorkflow

/// Two `serve` instances behind one load balancer, sharing one PostgreSQL database: sessions, CSRF secrets, the
/// queue and the outbox live in the database, so either instance answers any request and a reply goes out once.
@Suite("two review servers on one PostgreSQL database", .serialized)
struct SharedStoreTests {
    @Test("signed in on one instance, a reviewer acts through the other; two reviewers approving the same replies at the same moment on different instances send each once")
    func twoInstances() async throws {
        guard let postgres = try await TestPostgresDatabase.make("tg_serve") else { return }
        let scratch = NSTemporaryDirectory() + "tg-two-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let rig = try await SixPlatforms.start("two-serve", policies: try SixPlatforms.draftPolicies(in: scratch), delayMilliseconds: 15,
                                               postgres: postgres)
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        // Each instance has its own connection pool, as two processes on two machines would.
        let stores = try (0..<2).map { _ in try rig.config.openStore(environment: rig.environment) }
        try stores[0].addUser(name: "rita", passwordHash: Bcrypt.hash("rita-password-0001", cost: 4), role: "lead", actor: "test")
        try stores[1].addUser(name: "carl", passwordHash: Bcrypt.hash("carl-password-0001", cost: 4), role: "reviewer", actor: "test")
        _ = try await PollRun(config: rig.config, environment: rig.environment, http: http, logger: quietLogger).run()
        #expect(await rig.sandboxReplies().isEmpty, "with these policies every reply waits for a person")
        let drafts = try stores[1].allActions().filter { SentOnceTests.replyKinds.contains($0.kind) && $0.status == "draft" }
        let targets = Array(Set(drafts.map(\.itemID)).sorted().prefix(8))
        #expect(targets.count == 8)

        let judge = Judge(policies: try PolicyLoader.load(directory: rig.config.policies))
        var servers: [ReviewServer] = []
        var runners: [ActionRunner] = []
        for store in stores {
            let (server, runner) = try await rig.reviewPage(on: store, judge: judge, http: http)
            servers.append(server)
            runners.append(runner)
        }
        // Rita signs in on the first instance; her browser's next requests reach the second.
        let ritaOnA = WebRig.Session(base: servers[0].baseURL, client: http)
        let ritaToken = try await ritaOnA.signIn("rita", password: "rita-password-0001")
        #expect(!ritaToken.isEmpty)
        let ritaOnB = WebRig.Session(base: servers[1].baseURL, client: http)
        ritaOnB.cookies = ritaOnA.cookies
        let queueOnB = try await ritaOnB.get("/queue")
        #expect(queueOnB.status == 200, "the second instance knows the session the first created")
        #expect(String(decoding: queueOnB.body, as: UTF8.self).contains("rita"))
        let assigned = try await ritaOnB.post("/item/\(targets[0])/act", ["csrf": ritaToken, "action": "assign", "assignee": "rita"])
        #expect(assigned.status == 303, "the CSRF secret the first instance issued is accepted by the second")
        #expect(try stores[0].reviewDetail(itemID: targets[0]).review?.assignee == "rita")
        let forged = try await ritaOnB.post("/item/\(targets[1])/act", ["csrf": "not-the-token", "action": "approve"])
        #expect(forged.status == 403)

        // Carl signs in on the second instance; both approve the same replies at the same moment.
        let carlOnB = WebRig.Session(base: servers[1].baseURL, client: http)
        let carlToken = try await carlOnB.signIn("carl", password: "carl-password-0001")
        let statuses = await withTaskGroup(of: Int.self) { group in
            for item in targets {
                group.addTask { (try? await ritaOnA.post("/item/\(item)/act", ["csrf": ritaToken, "action": "approve"]).status) ?? -1 }
                group.addTask { (try? await carlOnB.post("/item/\(item)/act", ["csrf": carlToken, "action": "approve"]).status) ?? -1 }
            }
            var all: [Int] = []
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses.allSatisfy { $0 == 303 || $0 == 409 }, "\(statuses)")
        #expect(statuses.contains(303))
        // Both instances' executors run once more at the same moment: whatever is still pending goes out once.
        await withTaskGroup(of: Void.self) { group in
            for runner in runners { group.addTask { await runner.run() } }
        }
        for server in servers { await server.stop() }

        let actions = try stores[0].allActions().filter { SentOnceTests.replyKinds.contains($0.kind) && targets.contains($0.itemID) }
        #expect(actions.allSatisfy { $0.status == "done" }, "\(actions.map { "\($0.itemID):\($0.status)" })")
        let sent = await rig.sandboxReplies()
        #expect(sent.count == actions.count, "the platforms received each approved reply once (\(sent.count) for \(actions.count))")
        let byTarget = Dictionary(grouping: sent.filter { !$0.target.hasPrefix("user:") }, by: { "\($0.platform):\($0.kind):\($0.target)" })
        #expect(byTarget.values.allSatisfy { $0.count == 1 }, "\(byTarget.filter { $0.value.count > 1 }.keys)")
        #expect(await rig.state.duplicateReplyAttempts == 0)
        #expect(try stores[0].verifyAudit().isIntact)
        for store in stores { (store as? PostgresStore)?.close() }
        await rig.stop()
        await postgres.drop()
    }
}
