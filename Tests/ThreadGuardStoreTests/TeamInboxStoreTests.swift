import Foundation
import GRDB
import Testing
import ThreadGuardCore
@testable import ThreadGuardStore

@Suite("the queue as a team inbox (SQLite store)")
struct TeamInboxStoreTests {
    /// Items of these texts, each decided with `actions` and queued with its group key.
    func queued(_ texts: [String], actions: [ActionKind] = [.hide, .review], due: Date? = nil) throws -> (ThreadGuardDatabase, [Int64]) {
        let db = try temporaryDatabase()
        try db.registerSource(name: "src", connector: "facebook", account: "p")
        let ids = try db.storePage(source: "src", stream: "s", items: texts.enumerated().map { makeItem("c\($0.offset)", text: $0.element) }, cursor: nil)
        let analysis = Analysis(phi: false, score: 0, findings: [], categories: [], subject: .none)
        let inputs = zip(ids, texts).map { id, text in
            DecisionInput(itemID: id, analysis: analysis, decision: Decision(actions: actions, rules: ["r"]),
                          actions: actions.map { QueuedAction(kind: $0, status: $0 == .review ? .open : .pending) }, intake: nil,
                          groupKey: ReviewGroups.key(of: text), dueAt: due)
        }
        try db.recordDecisions(inputs)
        return (db, ids)
    }

    @Test("near-identical texts share a key: case, accents, punctuation, emoji, links and mentions aside")
    func groupKeys() {
        let key = ReviewGroups.key(of: "Stop taking your meds, this cure WORKS!")
        #expect(key != nil)
        #expect(ReviewGroups.key(of: "stop taking your meds this cure works 🙏 https://spam.example/x @brand") == key)
        #expect(ReviewGroups.key(of: "Stop  taking your méds — this cure works") == key)
        #expect(ReviewGroups.key(of: "Stop taking your meds, this cure works! Call 555-0100") != key, "a number is part of the words")
        #expect(ReviewGroups.key(of: "🙏 !!! https://x.example") == nil, "nothing to group on")
    }

    @Test("a group shows once, led by its first item of a status; acting on the lead hands the lead to the next")
    func leads() throws {
        let (db, ids) = try queued(["Same words here", "same words HERE!", "Other comment", "Same words here."])
        var filter = QueueFilter()
        let page = try db.queue(filter)
        #expect(page.rows.map(\.itemID).sorted() == [ids[0], ids[2]])
        #expect(page.rows.first { $0.itemID == ids[0] }?.groupCount == 3)
        #expect(try db.reviewDetail(itemID: ids[0]).group.map(\.itemID) == [ids[0], ids[1], ids[3]])
        try db.review(itemID: ids[0], action: .dismiss, actor: "rita")
        #expect(try db.queue(filter).rows.map(\.itemID).sorted() == [ids[1], ids[2]], "the next item of the group leads the open ones")
        filter.status = "dismissed"
        #expect(try db.queue(filter).rows.map(\.itemID) == [ids[0]])
        filter.status = "open"
        filter.grouped = false
        #expect(try db.queue(filter).rows.count == 3, "each apart on request")
        try db.review(itemID: ids[2], action: .escalate, actor: "rita")
        _ = try db.undoLast(actor: "rita")
        try db.review(itemID: ids[1], action: .hide, actor: "rita")
        try expectTallyMatches(db)
    }

    /// The counts the triggers keep are the counts of the rows.
    func expectTallyMatches(_ db: ThreadGuardDatabase) throws {
        let (counted, kept) = try db.pool.read { db in
            (try Row.fetchAll(db, sql: "SELECT status, category, groupLead, COUNT(*) AS n FROM review GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").map { "\($0["status"] as String) \($0["category"] as String) \($0["groupLead"] as Int) \($0["n"] as Int)" },
             try Row.fetchAll(db, sql: "SELECT status, category, groupLead, n FROM review_tally WHERE n > 0 ORDER BY 1, 2, 3").map { "\($0["status"] as String) \($0["category"] as String) \($0["groupLead"] as Int) \($0["n"] as Int)" })
        }
        #expect(counted == kept)
        // Every group has exactly one lead in each status it has items in: its lowest-numbered item.
        let wrong = try db.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT groupKey, status, SUM(groupLead) AS leads, MIN(itemID) AS first FROM review
                                      WHERE groupKey IS NOT NULL GROUP BY groupKey, status) g
                WHERE g.leads != 1 OR NOT EXISTS (SELECT 1 FROM review r WHERE r.itemID = g.first AND r.groupLead = 1)
                """) ?? -1
        }
        #expect(wrong == 0, "groups without exactly one lead, the lowest-numbered: \(wrong)")
        var all = QueueFilter()
        all.status = nil
        all.minPriority = 0  // a condition: counted from the rows, not the tally
        var plain = QueueFilter()
        plain.status = nil
        #expect(try db.queue(all).statusCounts == db.queue(plain).statusCounts)
    }

    @Test("search finds queued items by words, as word beginnings; nothing for words no comment has")
    func search() throws {
        let (db, ids) = try queued(["My humidifier leaks again", "Great product", "Humid nights are hard"])
        var filter = QueueFilter()
        filter.search = "humid"
        #expect(Set(try db.queue(filter).rows.map(\.itemID)) == [ids[0], ids[2]])
        filter.search = "humidifier LEAKS"
        #expect(try db.queue(filter).rows.map(\.itemID) == [ids[0]])
        filter.search = "\" OR 1=1 -- *"
        #expect(try db.queue(filter).rows.isEmpty, "query syntax is not passed through")
    }

    @Test("assignment only to people who can sign in; mine and unassigned views")
    func assignment() throws {
        let (db, ids) = try queued(["one", "two"])
        try db.addUser(name: "rita", passwordHash: "$2b$04$notarealhash", role: "lead", actor: "test")
        #expect(throws: ReviewError.unknownUser("mallory")) { try db.review(itemID: ids[0], action: .assign, actor: "rita", assignee: "mallory") }
        #expect(try db.reviewDetail(itemID: ids[0]).review?.assignee == nil)
        try db.review(itemID: ids[0], action: .assign, actor: "rita", assignee: "rita")
        var mine = QueueFilter()
        mine.assignee = "rita"
        #expect(try db.queue(mine).rows.map(\.itemID) == [ids[0]])
        var unassigned = QueueFilter()
        unassigned.unassigned = true
        #expect(try db.queue(unassigned).rows.map(\.itemID) == [ids[1]])
    }

    @Test("the automation closes what it fully handled (reopenable); review-only items stay open")
    func autoClose() throws {
        let (db, ids) = try queued(["hidden by the rules"])
        let hide = try #require(try db.pendingActions().first)
        try db.completeAction(id: hide.id!, platformRef: nil, actor: "executor")
        let review = try #require(try db.reviewDetail(itemID: ids[0]).review)
        #expect(review.status == "resolved" && review.closedBy == "automation")
        #expect(try db.auditLog(itemID: ids[0]).map(\.event).contains("review.auto_closed"))
        try db.review(itemID: ids[0], action: .reopen, actor: "rita")
        let reopened = try #require(try db.reviewDetail(itemID: ids[0]).review)
        #expect(reopened.status == "open" && reopened.closedBy == nil)
        let (other, otherIDs) = try queued(["only a person can answer this"], actions: [.review])
        #expect(try other.reviewDetail(itemID: otherIDs[0]).review?.status == "open")
        try expectTallyMatches(db)
        _ = try db.purge(before: Date(), actor: "test", dryRun: false, batchSize: 10)
        try expectTallyMatches(db)
    }

    @Test("items past their response target count as waiting; first acted on late counts as late")
    func breaches() throws {
        let past = Date().addingTimeInterval(-600)
        let (db, ids) = try queued(["first", "second", "third"], due: past)
        try db.review(itemID: ids[0], action: .dismiss, actor: "rita")
        let breaches = try db.responseBreaches(now: Date(), since: Date().addingTimeInterval(-3600))
        #expect(breaches.waiting["other"] == 2)
        #expect(breaches.late["other"] == 1)
    }

    @Test("response targets: durations, business days over a weekend, and what is refused")
    func targets() {
        let targets = ResponseTargets()
        // Friday 2026-12-04 16:00 UTC: one business day later is Monday 16:00.
        let friday = Date(timeIntervalSince1970: 1_796_400_000)
        let due = targets.due(.adverseEvent, from: friday)
        #expect(due.timeIntervalSince(friday) == 3 * 86_400)
        #expect(targets.due(.crisis, from: friday).timeIntervalSince(friday) == 900)
        #expect(ResponseTargets.Span("2 business days") == .businessDays(2))
        #expect(ResponseTargets.Span("30s") == nil, "under a minute")
        #expect(ResponseTargets.Span("soon") == nil)
        #expect(ResponseTargets.target(categories: ["distress"], actions: []) == .crisis)
        #expect(ResponseTargets.target(categories: ["adverse_event"], actions: []) == .adverseEvent)
        #expect(ResponseTargets.target(categories: ["spam"], actions: ["hide"]) == .other)
    }

    @Test("a database from before the inbox: its queued items join their groups and become searchable when it opens")
    func upgradeBackfills() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-upgrade-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        let path = folder + "/db/old.sqlite"
        // The schema as stop 23 left it, with three queued items, two of them near-identical.
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v11-shadow-outcomes")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO source (name, connector, account) VALUES ('src', 'facebook', 'p')")
            for (n, text) in ["Stop taking your meds!", "stop taking your meds", "A different comment"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO item (id, platform, platformID, kind, sourceName, threadRootID, parentID, authorID, authorName, text, createdAt, fetchedAt)
                    VALUES (?, 'facebook', ?, 'comment', 'src', 'post1', 'post1', 'u', 'User', ?, '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')
                    """, arguments: [n + 1, "c\(n)", text])
                try db.execute(sql: """
                    INSERT INTO review (itemID, status, priority, category, categories, openedAt, updatedAt)
                    VALUES (?, 'open', 50, 'other', '[]', '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')
                    """, arguments: [n + 1])
            }
        }
        try queue.close()
        let db = try ThreadGuardDatabase(path: path, environment: anchorEnvironment(folder))
        let page = try db.queue(QueueFilter())
        #expect(page.rows.map(\.itemID).sorted() == [1, 3])
        #expect(page.rows.first { $0.itemID == 1 }?.groupCount == 2)
        var search = QueueFilter()
        search.search = "meds"
        search.grouped = false
        #expect(try db.queue(search).rows.map(\.itemID).sorted() == [1, 2])
        try expectTallyMatches(db)
    }

    @Test("eight openers of one new file at the same moment: each opens it, every migration runs once")
    func concurrentMigrations() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-migrate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        let path = folder + "/db/shared.sqlite"
        // On threads of their own: openers wait for each other in the kernel, which must not hold Swift's shared pool.
        let opened: [Bool] = await withCheckedContinuation { continuation in
            Thread {
                let results = OpenResults()
                DispatchQueue.concurrentPerform(iterations: 8) { n in
                    results.set(n, (try? ThreadGuardDatabase(path: path, environment: anchorEnvironment(folder))) != nil)
                }
                continuation.resume(returning: results.all)
            }.start()
        }
        #expect(opened == Array(repeating: true, count: 8))
        let db = try ThreadGuardDatabase(path: path, environment: anchorEnvironment(folder))
        let applied = try await db.pool.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied.count == Set(applied).count && Set(applied) == Set(Migrations.migrator.migrations))
    }
}

/// Outcomes written from many threads.
final class OpenResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values = [Bool](repeating: false, count: 8)
    func set(_ index: Int, _ value: Bool) { lock.withLock { values[index] = value } }
    var all: [Bool] { lock.withLock { values } }
}
