import Foundation
import HummingbirdBcrypt
import Testing
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

/// "Sent once" for actions on many items: the same group approved from eight browsers at the same moment, while two
/// more approve single items of it and another dismisses it.
@Suite("a group's replies go out once however many act on it", .serialized)
struct BulkSentOnceTests {
    @Test("eight group approvals, two single approvals and a group dismiss at once: each item's reply once, one approve per item in the audit log")
    func concurrentGroupApprovals() async throws {
        let scratch = NSTemporaryDirectory() + "tg-bulk-once-policies-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let rig = try await SixPlatforms.start("bulk-once", policies: try SixPlatforms.draftPolicies(in: scratch), delayMilliseconds: 15)
        let database = try rig.config.openDatabase()
        try database.addUser(name: "rita", passwordHash: Bcrypt.hash("rita-password-0001", cost: 4), role: "reviewer", actor: "test")
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        _ = try await PollRun(config: rig.config, environment: rig.environment, http: http, logger: quietLogger).run()
        // A group of the same comment on the six platforms, every item with a drafted reply.
        let drafted = Set(try database.allActions().filter { ItemPageDrafts.isDraft($0) }.map(\.itemID))
        let lead = try #require(try drafted.sorted().first { try database.reviewDetail(itemID: $0).group.count == 6 })
        let members = try database.reviewDetail(itemID: lead).group.map(\.itemID)
        #expect(Set(members).isSubset(of: drafted))

        let policies = try PolicyLoader.load(directory: rig.config.policies)
        let judge = Judge(policies: policies)
        let runner = ActionRunner(config: rig.config, database: database, environment: rig.environment, http: http, logger: quietLogger,
                                  checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
        let app = ReviewApp(database: database, judge: judge, runActions: { await runner.run() }, logger: quietLogger)
        let server = try await ReviewServer.start(app: app, logger: quietLogger)
        var sessions: [(WebRig.Session, String)] = []
        for _ in 0..<11 {
            let session = WebRig.Session(base: server.baseURL, client: http)
            sessions.append((session, try await session.signIn("rita", password: "rita-password-0001")))
        }
        let statuses = await withTaskGroup(of: Int.self) { group in
            for (k, (session, token)) in sessions.enumerated() {
                let form: [String: String] = switch k {
                case 0..<8: ["csrf": token, "action": "approve", "group": String(lead), "return": "/queue"]
                case 8, 9: ["csrf": token, "action": "approve"]
                default: ["csrf": token, "action": "dismiss", "group": String(lead), "return": "/queue"]
                }
                let path = k == 8 || k == 9 ? "/item/\(members[k - 7])/act" : "/bulk"
                group.addTask { (try? await session.post(path, form).status) ?? -1 }
            }
            var all: [Int] = []
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses.allSatisfy { $0 == 303 || $0 == 409 }, "\(statuses)")
        await runner.run()
        await server.stop()
        let audit = try database.auditLog().filter { members.contains($0.itemID ?? 0) }
        for member in members {
            let approvals = audit.filter { $0.itemID == member && $0.event == "review.approve" }.count
            let dismissals = audit.filter { $0.itemID == member && $0.event == "review.dismiss" }.count
            #expect(approvals <= 1, "item \(member) approved \(approvals) times")
            let reply = try database.allActions().first { $0.itemID == member && ($0.kind == "private_reply" || $0.kind == "public_reply") }
            // Sent only if approved (once); otherwise a dismissal cancelled it, before or after an approval, before it went.
            switch reply?.status {
            case "done"?: #expect(approvals == 1, "item \(member) sent without one approval")
            case "cancelled"?: #expect(dismissals == 1, "item \(member) cancelled without a dismissal")
            default: Issue.record("item \(member): reply \(reply?.status ?? "missing")")
            }
        }
        // Nothing but this group was approved: the platforms hold exactly its replies recorded as done.
        let sent = await rig.sandboxReplies()
        let done = try database.allActions().filter { ($0.kind == "private_reply" || $0.kind == "public_reply") && $0.status == "done" }
        #expect(!done.isEmpty && done.allSatisfy { members.contains($0.itemID) })
        #expect(sent.count == done.count, "\(sent.count) replies on the platforms, \(done.count) recorded as done")
        #expect(await rig.state.duplicateReplyAttempts == 0, "no platform was asked for a second reply")
        await rig.stop()
    }
}

enum ItemPageDrafts {
    static func isDraft(_ action: ActionRecord) -> Bool {
        (action.kind == "private_reply" || action.kind == "public_reply") && action.status == "draft"
    }
}
