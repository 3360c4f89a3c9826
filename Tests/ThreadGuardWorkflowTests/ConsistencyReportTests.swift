import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardStore
@testable import ThreadGuardWorkflow

@Suite("consistency report")
struct ConsistencyReportTests {
    @Test("counts handling per rule and category and points out similar items handled differently")
    func divergence() throws {
        let db = try scratchStore("consistency")
        let items = (1...3).map { scratchComment($0, text: "t") }
        let ids = try db.storePage(source: "s", stream: "x", items: items, cursor: nil)
        let analysis = Analysis(phi: true, score: 0.9, findings: [], categories: [.complaint], subject: .relative)
        let decision = Decision(actions: [.hide, .privateReply], rules: ["phi.third-party"], priority: 70, replyTemplate: "take_private")
        for id in ids {
            try db.recordDecision(itemID: id, analysis: analysis, decision: decision,
                                  actions: [QueuedAction(kind: .hide, status: .pending), QueuedAction(kind: .privateReply, status: .draft, payload: "x")])
        }
        let hides = try db.pendingActions()
        try db.completeAction(id: hides[0].id!, platformRef: nil, actor: "executor")
        try db.completeAction(id: hides[1].id!, platformRef: nil, actor: "dana")
        try db.failAction(id: hides[2].id!, reason: "HTTP 500", giveUp: true, actor: "executor")
        let report = try ConsistencyReport.build(database: db)
        let group = try #require(report.byRule["phi.third-party"])
        #expect(group.items == 3)
        #expect(group.human == 1 && group.automated == 2)
        #expect(group.templates == ["take_private": 3])
        #expect(report.byCategory["complaint"]?.items == 3)
        let divergence = try #require(report.divergences.first)
        #expect(divergence.rules == ["phi.third-party"])
        #expect(divergence.handlings["hide:dead,private_reply:draft"] == [ids[2]])
        #expect(divergence.handlings["hide:done,private_reply:draft"] == [ids[0], ids[1]])
        #expect(report.render().contains("hide:dead,private_reply:draft: items \(ids[2])"))
    }
}
