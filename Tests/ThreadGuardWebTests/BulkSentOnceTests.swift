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
/// more approve single items of it and another dismisses a second group.
@Suite("a group's replies go out once however many act on it", .serialized)
struct BulkSentOnceTests {
    @Test("eight group approvals, two single approvals and another group's dismissal at once: each item's reply once, one approve per item in the audit log")
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
        let leads = try drafted.sorted().filter { try database.reviewDetail(itemID: $0).group.count == 6 && database.reviewDetail(itemID: $0).group.first?.itemID == $0 }
        #expect(leads.count >= 2, "two groups with drafted replies")
        let lead = try #require(leads.first), otherLead = try #require(leads.dropFirst().first)
        let members = try database.reviewDetail(itemID: lead).group.map(\.itemID)
        let others = try database.reviewDetail(itemID: otherLead).group.map(\.itemID)
        #expect(Set(members).isSubset(of: drafted))

        let (server, runner) = try await rig.reviewPage(on: database, judge: Judge(policies: try PolicyLoader.load(directory: rig.config.policies)), http: http)
        let sessions = try await rig.sessions(11, on: server, as: "rita", password: "rita-password-0001", http: http)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for (k, (session, token)) in sessions.enumerated() {
                let form: [String: String] = switch k {
                case 0..<8: ["csrf": token, "action": "approve", "group": String(lead), "return": "/queue"]
                case 8, 9: ["csrf": token, "action": "approve"]
                default: ["csrf": token, "action": "dismiss", "group": String(otherLead), "return": "/queue"]
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
        let audit = try database.auditLog()
        let replies = try database.allActions().filter { $0.kind == "private_reply" || $0.kind == "public_reply" }
        for member in members {
            #expect(audit.filter { $0.itemID == member && $0.event == "review.approve" }.count == 1, "item \(member) approved once")
            #expect(replies.filter { $0.itemID == member }.map(\.status) == ["done"], "item \(member)'s reply went out")
        }
        for other in others {
            #expect(audit.filter { $0.itemID == other && $0.event == "review.dismiss" }.count == 1, "item \(other) dismissed once")
            #expect(replies.filter { $0.itemID == other }.map(\.status) == ["cancelled"], "item \(other)'s draft was cancelled")
        }
        // Nothing but the first group was approved: the platforms hold exactly its replies.
        let sent = await rig.sandboxReplies()
        #expect(replies.filter { $0.status == "done" }.map(\.itemID).sorted() == members.sorted())
        #expect(sent.count == members.count, "\(sent.count) replies on the platforms for \(members.count) items")
        #expect(await rig.state.duplicateReplyAttempts == 0, "no platform was asked for a second reply")
        await rig.stop()
    }
}

enum ItemPageDrafts {
    static func isDraft(_ action: ActionRecord) -> Bool {
        (action.kind == "private_reply" || action.kind == "public_reply") && action.status == "draft"
    }
}
