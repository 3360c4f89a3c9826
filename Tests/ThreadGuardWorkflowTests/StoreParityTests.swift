import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardTestSupport
@testable import ThreadGuardWorkflow

/// The same work on both stores through the one `Store` protocol: the six sandbox platforms polled, decided and acted
/// on, then a person's actions, users and sessions, alerts, metrics and the dashboard's figures. Both must come to
/// the same state (ids and times aside, which differ by nature).
@Suite("both stores do the same", .serialized)
struct StoreParityTests {
    /// What a store came to, keyed by platform ids so the two can be compared.
    struct Outcome: Equatable {
        var items: Set<String> = []
        var decisions: [String: String] = [:]
        var actions: [String: String] = [:]
        var queue: Set<String> = []
        var afterReview: [String] = []
        var users: [String] = []
        var sessions: [Bool] = []
        var alerts: [String] = []
        var metrics: [String] = []
        var snapshot: [String] = []
        var flags: [String] = []
        var purge: [String] = []
        var auditEvents: [String: Int] = [:]
        var auditIntact = false
    }

    func exercise(_ store: any Store, platforms: SandboxServer, environment: [String: String], folder: String) async throws -> Outcome {
        let sources = sandboxSourcesYAML(Platform.allCases.map { SandboxWorld.demo(platform: $0) }, baseURL: platforms.baseURL,
                                         tokenEnv: "PARITY_TOKEN", redditEnv: "PARITY_REDDIT")
        let path = folder + "/threadguard.yaml"
        try """
            database: \(store.location.hasPrefix("postgres") ? environment["PARITY_DATABASE"]! + "\ndatabase_password_env: PARITY_PG_PASSWORD" : store.location)
            policies: \(RepoFolders.policies)
            connectors: \(RepoFolders.connectors)
            sources:
            \(sources)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try AppConfig.load(file: path)
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        _ = try await PollRun(config: config, environment: environment, http: http, logger: LogCapture().logger()).run()

        var outcome = Outcome()
        let items = try store.allItems()
        let key = Dictionary(uniqueKeysWithValues: items.map { ($0.id!, "\($0.platform):\($0.platformID)") })
        outcome.items = Set(key.values)
        for item in items {
            guard let decision = try store.decision(itemID: item.id!) else { continue }
            let findings = try store.findings(decisionID: decision.id!).map { "\($0.type)@\($0.start)-\($0.end)" }.sorted()
            outcome.decisions[key[item.id!]!] = "\(decision.phi) \(decision.categories) \(decision.actions) \(decision.rules) \(decision.priority) \(findings)"
        }
        for action in try store.allActions() { outcome.actions[key[action.itemID]! + ":" + action.kind] = action.status }
        // The whole queue, page by page (the order within a priority follows ids and times, which differ).
        var rows: [QueueRow] = []
        var filter = QueueFilter()
        filter.pageSize = 200
        filter.grouped = false
        var page = try store.queue(filter)
        while !page.rows.isEmpty {
            rows += page.rows
            filter.page += 1
            page = try store.queue(filter)
        }
        outcome.queue = Set(rows.map { "\(key[$0.itemID]!) \($0.status) \($0.priority) \($0.category) \($0.hasDraft) \($0.findings.count)" })
        outcome.queue.insert("total \(page.total) \(page.statusCounts.sorted { $0.key < $1.key }) \(page.categoryCounts.sorted { $0.key < $1.key })")
        #expect(rows.map(\.priority) == rows.map(\.priority).sorted(by: >), "highest priority first")
        // Grouped, each comment posted on the six platforms is one row of six (which item leads follows ids).
        var grouped = QueueFilter()
        grouped.pageSize = 200
        let groupedPage = try store.queue(grouped)
        outcome.queue.insert("grouped \(groupedPage.total) " + groupedPage.rows.map { "\($0.category) \($0.groupCount) \($0.groupPlatforms)" }.sorted().joined(separator: "; "))
        #expect(groupedPage.rows.allSatisfy { $0.groupCount == 6 }, "the demo posts every comment on six platforms")
        if let lead = groupedPage.rows.first { outcome.queue.insert("members \(try store.reviewDetail(itemID: lead.itemID).group.count)") }
        var search = QueueFilter()
        search.grouped = false
        search.status = nil
        search.search = "apnea"
        outcome.queue.insert("search " + (try store.queue(search).rows.map { key[$0.itemID]! }.sorted().joined(separator: ",")))
        let breaches = try store.responseBreaches(now: Date().addingTimeInterval(30 * 86_400), since: Date().addingTimeInterval(-86_400))
        outcome.queue.insert("breaches \(breaches.waiting.sorted { $0.key < $1.key })")
        // A person dismisses the first queued item, escalates the second and undoes the escalation.
        let ordered = rows.map(\.itemID).sorted { key[$0]! < key[$1]! }
        try store.addUser(name: "rita", passwordHash: "$2b$04$notarealhashnotarealhashnotarealhashnotarealhashnot", role: "lead", actor: "test")
        try store.review(itemID: ordered[0], action: .dismiss, actor: "rita")
        try store.review(itemID: ordered[1], action: .escalate, actor: "rita")
        #expect(try store.lastUndoable(actor: "rita")?.action == "escalate")
        _ = try store.undoLast(actor: "rita")
        try store.review(itemID: ordered[2], action: .assign, actor: "rita", assignee: "rita")
        #expect(throws: ReviewError.unknownUser("nobody-here")) { try store.review(itemID: ordered[2], action: .assign, actor: "rita", assignee: "nobody-here") }
        for id in ordered.prefix(3) {
            let detail = try store.reviewDetail(itemID: id)
            outcome.afterReview.append("\(key[id]!) \(detail.review?.status ?? "-") \(detail.review?.assignee ?? "-") \(detail.actions.map { "\($0.kind)=\($0.status)" }.sorted())")
        }
        #expect(throws: ReviewError.self) { try store.addUser(name: "RITA", passwordHash: "x", role: "lead", actor: "test") }
        outcome.users = try store.users().map { "\($0.name) \($0.role)" }
        let now = Date()
        try store.createSession(SessionRecord(tokenHash: "h1", userName: "rita", csrf: "c1", createdAt: now, expiresAt: now.addingTimeInterval(3600)))
        outcome.sessions.append(try store.session(tokenHash: "h1")?.0.csrf == "c1")
        try store.deleteSession(tokenHash: "h1")
        outcome.sessions.append(try store.session(tokenHash: "h1") == nil)
        // Alerts: stored once per key, claimed, one sent and one given up.
        let alerts = [NewAlert(channel: "hook", subject: "crisis:1", kind: "crisis", payload: "{}"),
                      NewAlert(channel: "hook", subject: "dead:2", kind: "dead", payload: "{}")]
        #expect(try store.enqueueAlerts(alerts) == 2)
        #expect(try store.enqueueAlerts(alerts) == 0)
        let claimed = try store.claimAlerts(owner: "me")
        #expect(claimed.count == 2)
        #expect(try store.claimAlerts(owner: "other").isEmpty, "a claimed alert is not claimed again")
        try store.finishAlert(id: claimed[0].id, owner: "me", error: nil, maxAttempts: 1)
        try store.finishAlert(id: claimed[1].id, owner: "me", error: "refused", maxAttempts: 1)
        outcome.alerts = try store.alerts().map { "\($0.key) \($0.status) \($0.attempts)" } + [try store.alertedSubjects(channel: "hook").sorted().joined(separator: ",")]
        try store.addMetrics([StoredMetric(name: "x_total", labels: "a=\"1\"", value: 2), StoredMetric(name: "x_total", labels: "a=\"1\"", value: 3)])
        outcome.metrics = try store.storedMetrics().filter { $0.name == "x_total" || $0.name.hasPrefix("threadguard_items_polled") }.map { "\($0.name){\($0.labels)} \($0.value)" }
        let snapshot = try store.operationsSnapshot()
        outcome.snapshot = [snapshot.queueByPriority.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                            snapshot.outbox.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                            "crisis \(snapshot.crisis.count)", "intakes \(snapshot.intakes.count)", "dead \(snapshot.deadLetters.count)",
                            "cursors \(snapshot.cursorMovedAt.count)", "alerts \(snapshot.alerts.sorted { $0.key < $1.key })"]
        outcome.flags = try store.flagsPerDay(days: 7).map { "\($0.key) \($0.count)" }.sorted() + (try store.handling(days: 7).map { "\($0.key) \($0.count)" }.sorted())
        // Retention with a cutoff after everything: what is open stays, the rest goes, whole threads at a time (an old
        // thread nobody flagged among them).
        let old = Date().addingTimeInterval(-800 * 86_400)
        let oldThread = [("old-post", nil as String?, ItemKind.post), ("old-reply", "old-post", ItemKind.comment)].map { id, parent, kind in
            Item(platform: .facebook, platformID: id, kind: kind, sourceName: "facebook", threadRootID: "old-post", parentID: parent,
                 authorID: "a", authorName: "A", text: "thanks for the opening hours", createdAt: old, fetchedAt: old, permalink: nil)
        }
        _ = try await store.storePage(source: "facebook", stream: "old", items: oldThread, cursor: nil, at: old)
        let later = Date().addingTimeInterval(400 * 86_400)
        let counted = try store.purge(before: later, actor: "cli:test", dryRun: true)
        let purged = try store.purge(before: later, actor: "cli:test", dryRun: false, batchSize: 50, at: Date())
        #expect(purged.removedItems == counted.removedItems && purged.removedItems > 0)
        #expect(purged.keptForOpenIntake + purged.keptForOpenReview > 0)
        let left = try store.allItems()
        outcome.purge = ["\(purged.removedItems) \(purged.removedIntakes) \(purged.keptForOpenIntake) \(purged.keptForOpenReview) \(purged.removedAlerts) \(purged.removedSessions)",
                         left.map { key[$0.id!]! }.sorted().joined(separator: ",")]
        for row in try store.auditLog() { outcome.auditEvents[row.event, default: 0] += 1 }
        outcome.auditIntact = try store.verifyAudit().isIntact
        return outcome
    }

    @Test("poll, decide, act, review, users, sessions, alerts, metrics and figures: SQLite and PostgreSQL come to the same state")
    func parity() async throws {
        guard let postgres = try await TestPostgresDatabase.make("tg_parity") else { return }
        var outcomes: [Outcome] = []
        for backend in ["sqlite", "postgres"] {
            let folder = try scratchFolder("parity-\(backend)")
            let state = SandboxState(worlds: Platform.allCases.map { SandboxWorld.demo(platform: $0) }, token: "parity-token")
            let platforms = try await SandboxServer.start(state: state)
            let environment = ["PARITY_TOKEN": "parity-token", "PARITY_REDDIT": "app:secret:mod:pw", "THREADGUARD_AUDIT_DIR": folder + "/audit",
                               "PARITY_DATABASE": postgres.url, "PARITY_PG_PASSWORD": postgres.base.password ?? ""]
            let store: any Store = backend == "sqlite"
                ? try ThreadGuardDatabase(path: try scratchFolder("parity-db") + "/tg.sqlite", environment: environment)
                : try PostgresStore.connect(postgres.location, environment: environment, logger: LogCapture().logger())
            outcomes.append(try await exercise(store, platforms: platforms, environment: environment, folder: folder))
            (store as? PostgresStore)?.close()
            await platforms.stop()
        }
        let (sqlite, pg) = (outcomes[0], outcomes[1])
        #expect(sqlite.items.count > 200)
        #expect(sqlite.items == pg.items)
        #expect(sqlite.decisions == pg.decisions)
        #expect(sqlite.actions == pg.actions)
        #expect(sqlite.queue == pg.queue)
        #expect(sqlite.afterReview == pg.afterReview)
        #expect(sqlite.users == pg.users)
        #expect(sqlite.sessions == [true, true] && pg.sessions == [true, true])
        #expect(sqlite.alerts == pg.alerts)
        #expect(sqlite.metrics == pg.metrics)
        #expect(sqlite.snapshot == pg.snapshot)
        #expect(sqlite.flags == pg.flags)
        #expect(sqlite.purge == pg.purge)
        #expect(sqlite.auditEvents == pg.auditEvents)
        #expect(sqlite.auditIntact && pg.auditIntact)
        await postgres.drop()
    }
}
