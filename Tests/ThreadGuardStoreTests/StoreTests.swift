import Foundation
import GRDB
import Testing
import ThreadGuardCore
@testable import ThreadGuardStore

/// A new database in a folder of its own, with its audit key and checkpoints in a folder beside it (not in $HOME).
func temporaryDatabase() throws -> ThreadGuardDatabase {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
    return try ThreadGuardDatabase(path: folder + "/db/store.sqlite", environment: anchorEnvironment(folder))
}

/// The environment that puts a database's audit key and checkpoints in `folder`/anchor.
func anchorEnvironment(_ folder: String) -> [String: String] {
    [AuditAnchor.folderVariable: folder + "/anchor"]
}

func makeItem(_ id: String, text: String = "hello", kind: ItemKind = .comment) -> Item {
    Item(platform: .facebook, platformID: id, kind: kind, sourceName: "src", threadRootID: "post1", parentID: "post1",
         authorID: "u1", authorName: "User", text: text, createdAt: Date(timeIntervalSince1970: 1_700_000_000),
         fetchedAt: Date(timeIntervalSince1970: 1_700_000_100), permalink: nil)
}

@Suite("SQLite store")
struct StoreTests {
    @Test("the database is in WAL mode")
    func walMode() throws {
        let db = try temporaryDatabase()
        let mode = try db.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test("storing the same item twice is a no-op")
    func idempotentInsert() throws {
        let db = try temporaryDatabase()
        try db.registerSource(name: "src", connector: "facebook", account: "p")
        let first = try db.storePage(source: "src", stream: "s", items: [makeItem("c1"), makeItem("c2")], cursor: "A")
        let second = try db.storePage(source: "src", stream: "s", items: [makeItem("c2", text: "edited"), makeItem("c3")], cursor: "B")
        #expect(first.count == 2)
        #expect(second.count == 1)
        let items = try db.allItems()
        #expect(items.map(\.platformID) == ["c1", "c2", "c3"])
        #expect(items[1].text == "hello", "the stored copy is left as it was")
    }

    @Test("a page whose items cannot all be stored leaves neither items nor cursor behind")
    func pageAndCursorAreAtomic() throws {
        let db = try temporaryDatabase()
        try db.registerSource(name: "src", connector: "facebook", account: "p")
        try db.storePage(source: "src", stream: "s", items: [makeItem("c1")], cursor: "A")
        // An empty platform id violates a CHECK constraint half-way through the page.
        #expect(throws: DatabaseError.self) {
            try db.storePage(source: "src", stream: "s", items: [makeItem("c2"), makeItem("")], cursor: "B")
        }
        #expect(try db.cursor(source: "src", stream: "s") == "A")
        #expect(try db.allItems().map(\.platformID) == ["c1"])
    }

    @Test("a cursor for an unknown source is refused (foreign key), with nothing stored")
    func cursorNeedsSource() throws {
        let db = try temporaryDatabase()
        #expect(throws: DatabaseError.self) {
            try db.storePage(source: "nobody", stream: "s", items: [makeItem("c1")], cursor: "A")
        }
        #expect(try db.allItems().isEmpty)
    }

    @Test("a decision is recorded once, with its findings, outbox actions and an audit entry")
    func decisionOnce() throws {
        let db = try temporaryDatabase()
        try db.registerSource(name: "src", connector: "facebook", account: "p")
        let ids = try db.storePage(source: "src", stream: "s", items: [makeItem("c1")], cursor: nil)
        let analysis = Analysis(phi: true, score: 0.9, findings: [Finding(type: .mrn, start: 3, end: 11, score: 0.9, recognizer: "mrn")],
                                categories: [], subject: .relative)
        let decision = Decision(actions: [.hide, .review], rules: ["phi.direct-identifier"])
        let queued = [QueuedAction(kind: .hide, status: .pending), QueuedAction(kind: .review, status: .open)]
        #expect(try db.recordDecision(itemID: ids[0], analysis: analysis, decision: decision, actions: queued))
        #expect(try db.recordDecision(itemID: ids[0], analysis: analysis, decision: decision, actions: queued) == false)
        let stored = try #require(try db.decision(itemID: ids[0]))
        #expect(try db.findings(decisionID: stored.id!).map(\.type) == ["MRN"])
        let kinds = try db.allActions().map(\.kind)
        #expect(kinds == ["hide", "review"])
        #expect(try db.pendingActions().map(\.kind) == ["hide"])
        #expect(try db.auditLog().map(\.event) == ["decided"])
        #expect(try db.itemsAwaitingDecision().isEmpty)
    }

    @Test("completing a hide marks the item hidden and audits it; failures end in the dead-letter state")
    func actionLifecycle() throws {
        let db = try temporaryDatabase()
        try db.registerSource(name: "src", connector: "facebook", account: "p")
        let ids = try db.storePage(source: "src", stream: "s", items: [makeItem("c1"), makeItem("c2")], cursor: nil)
        let analysis = Analysis(phi: false, score: 0, findings: [], categories: [], subject: .none)
        for id in ids {
            try db.recordDecision(itemID: id, analysis: analysis, decision: Decision(actions: [.hide], rules: ["r"]),
                                  actions: [QueuedAction(kind: .hide, status: .pending)])
        }
        let actions = try db.pendingActions()
        try db.completeAction(id: actions[0].id!, platformRef: nil, actor: "executor")
        try db.failAction(id: actions[1].id!, reason: "HTTP 500", giveUp: false, actor: "executor")
        #expect(try db.pendingActions().map(\.id) == [actions[1].id])
        try db.failAction(id: actions[1].id!, reason: "HTTP 500", giveUp: true, actor: "executor")
        #expect(try db.pendingActions().isEmpty)
        let dead = try db.allActions()[1]
        #expect(dead.status == "dead")
        #expect(dead.attempts == 2)
        #expect(dead.lastError == "HTTP 500")
        #expect(try db.item(id: ids[0])?.isHidden == true)
        #expect(try db.item(id: ids[1])?.isHidden == false)
    }

    @Test("the audit log refuses updates and deletions")
    func auditAppendOnly() throws {
        let db = try temporaryDatabase()
        try db.appendAudit(AuditEntry(at: Date(), actor: "system", event: "test", itemID: nil))
        #expect(throws: DatabaseError.self) { try db.pool.write { try $0.execute(sql: "UPDATE audit SET actor = 'x'") } }
        #expect(throws: DatabaseError.self) { try db.pool.write { try $0.execute(sql: "DELETE FROM audit") } }
        #expect(try db.auditLog().count == 1)
    }

    @Test("the thread above a reply is found root first")
    func ancestors() throws {
        let db = try temporaryDatabase()
        try db.registerSource(name: "src", connector: "facebook", account: "p")
        var post = makeItem("post1", text: "brand post", kind: .post)
        post.parentID = nil
        post.isBrand = true
        var reply = makeItem("r1", kind: .reply)
        reply.parentID = "c1"
        try db.storePage(source: "src", stream: "s", items: [post, makeItem("c1"), reply], cursor: nil)
        let stored = try #require(try db.item(platform: .facebook, platformID: "r1"))
        #expect(try db.ancestors(of: stored).map(\.platformID) == ["post1", "c1"])
    }

    @Test("a database path in a missing folder gives a clear error")
    func cannotOpen() {
        #expect(throws: StoreError.self) { try ThreadGuardDatabase(path: "/nonexistent-folder/x/store.sqlite") }
    }
}

@Suite("timestamps")
struct TimestampTests {
    @Test("platform timestamps parse with their zone and round-trip in Graph's form", arguments: [
        ("2021-08-10T18:45:03+0000", 1_628_621_103.0), ("2021-08-10T18:45:03Z", 1_628_621_103.0),
        ("2021-08-10T20:45:03+02:00", 1_628_621_103.0), ("2021-08-10T18:45:03.250Z", 1_628_621_103.25),
    ])
    func parse(_ text: String, _ epoch: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == epoch)
        #expect(Timestamp.graph(Date(timeIntervalSince1970: 1_628_621_103)) == "2021-08-10T18:45:03+0000")
    }

    @Test("not timestamps", arguments: ["", "yesterday", "2021-08-10", "2021-08-10T18:45:03+00", "2021-13-10T18:45:03Zjunk"])
    func invalid(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
