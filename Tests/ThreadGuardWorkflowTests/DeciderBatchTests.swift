import Foundation
import Logging
import Testing
import ThreadGuardCore
import ThreadGuardPolicy
import ThreadGuardStore
@testable import ThreadGuardWorkflow

/// The decider reads items in batches of 500, judges a batch on every core and writes it on a queue of its own
/// while it judges the next (`BatchWrites`). Across batches every item must be decided once, as judging it alone
/// decides it, with one audit entry each and an intact chain.
@Suite("decider batches")
struct DeciderBatchTests {
    @Test("1,300 items over three batches: each decided once, as judged alone, audit chain intact")
    func threeBatches() throws {
        let db = try scratchStore("decider-batches")
        let texts = ["Thanks for the quick delivery!", "My mom Jane Doe (DOB 03/04/1950) is at St. Agnes, room 12",
                     "I was charged twice and nobody answers", "The pump stopped working and my son got a rash",
                     "call me at 614-555-0199 about my MRN 00123456", "Love the new mask"]
        let items = (0..<1_300).map { scratchComment($0, text: texts[$0 % texts.count] + " #\($0)") }
        for page in stride(from: 0, to: items.count, by: 100) {
            try db.storePage(source: "s", stream: "x", items: Array(items[page..<min(page + 100, items.count)]), cursor: "\(page)")
        }
        let judge = Judge(policies: try PolicyLoader.load(directory: RepoFolders.policies))
        let decider = Decider(database: db, judge: judge, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let counts = try decider.decidePending()
        #expect(counts.decided == 1_300)
        #expect(try decider.decidePending().decided == 0, "a second run finds nothing left")
        var flagged = 0, intakes = 0
        for record in try db.allItems() {
            let stored = try #require(try db.decision(itemID: record.id!))
            let (analysis, decision, _) = judge.judge(Judge.Subject(text: record.text, author: record.authorName))
            #expect(stored.phi == analysis.phi, "\(record.platformID)")
            #expect(try JSONDecoder().decode([String].self, from: Data(stored.rules.utf8)) == decision.rules, "\(record.platformID)")
            if !decision.actions.isEmpty { flagged += 1 }
            if decision.actions.contains(.adverseEventReport) { intakes += 1 }
        }
        #expect(counts.flagged == flagged)
        #expect(flagged > 0 && intakes > 0)
        let audit = try db.verifyAudit()
        #expect(audit.isIntact)
        #expect(audit.rows == 1_300 + intakes)
    }
}
