import Foundation
import PostgresNIO
import ThreadGuardCore

/// The review queue on PostgreSQL: the SQLite store's queries and state changes in PostgreSQL's dialect. A person's
/// action is one transaction holding its review row (`FOR UPDATE`), so two people acting on one item from two
/// `serve` instances take turns, and the second sees what the first did.
extension PostgresStore {
    public func queue(_ filter: QueueFilter, now: Date) throws -> QueuePage {
        try wait { store in try await store.queuePage(filter, now: now) }
    }

    private func queuePage(_ filter: QueueFilter, now: Date) async throws -> QueuePage {
        let query = QueueQuery(filter, now: now, dialect: .postgres)
        var statusCounts: [String: Int] = [:]
        for row in try await rows(Self.numbered(query.statusCountsSQL, query.values)) {
            statusCounts[try row.value("status") ?? ""] = Int(try row.value("n", as: Int64.self) ?? 0)
        }
        var categoryCounts: [String: Int] = [:]
        for row in try await rows(PostgresQuery(unsafeSQL: QueueQuery.categoryCountsSQL)) {
            categoryCounts[try row.value("category") ?? ""] = Int(try row.value("n", as: Int64.self) ?? 0)
        }
        let total = query.total(statusCounts)
        let pageIDs = try await rows(Self.numbered(query.pageIDsSQL, query.allValues)).map { try $0.value("itemid", as: Int64.self) ?? 0 }
        guard !pageIDs.isEmpty else { return QueuePage(rows: [], total: total, statusCounts: statusCounts, categoryCounts: categoryCounts) }
        var bindings = PostgresBindings()
        bindings.append(pageIDs)
        let fetched = try await rows(PostgresQuery(unsafeSQL: QueueQuery.detailSQL + " WHERE r.itemID = ANY($1)", binds: bindings))
        let position = Dictionary(uniqueKeysWithValues: pageIDs.enumerated().map { ($1, $0) })
        let findings = try await findings(decisionIDs: try fetched.compactMap { try $0.value("decisionid", as: Int64.self) })
        var queueRows = try fetched.map { row -> QueueRow in
            QueueRow(itemID: try row.value("itemid") ?? 0, platform: try row.value("platform") ?? "", source: try row.value("sourcename") ?? "",
                     kind: try row.value("kind") ?? "", authorName: try row.value("authorname") ?? "", text: try row.value("text") ?? "",
                     createdAt: try row.value("createdat") ?? Date(), status: try row.value("status") ?? "",
                     priority: Int(try row.value("priority", as: Int32.self) ?? 0), category: try row.value("category") ?? "",
                     categories: JSONList.decode(try row.value("categories") ?? ""), assignee: try row.value("assignee"),
                     phi: try row.value("phi") ?? false, findings: try row.value("decisionid", as: Int64.self).flatMap { findings[$0] } ?? [],
                     hasDraft: try row.value("hasdraft") ?? false, hasDead: try row.value("hasdead") ?? false,
                     groupKey: try row.value("groupkey"), target: try row.value("target") ?? "other", dueAt: try row.value("dueat"),
                     closedBy: try row.value("closedby"))
        }.sorted { (position[$0.itemID] ?? 0) < (position[$1.itemID] ?? 0) }
        if let sql = QueueQuery.groupCountsSQL(Set(queueRows.compactMap(\.groupKey))) {
            let counts = try await rows(PostgresQuery(unsafeSQL: sql)).map {
                GroupCount(key: try $0.value("groupkey") ?? "", status: try $0.value("status") ?? "", platform: try $0.value("platform") ?? "",
                           count: Int(try $0.value("n", as: Int64.self) ?? 0))
            }
            GroupCount.apply(counts, to: &queueRows)
        }
        return QueuePage(rows: queueRows, total: total, statusCounts: statusCounts, categoryCounts: categoryCounts)
    }

    public func reviewDetail(itemID: Int64) throws -> ReviewDetail {
        try wait { store in
            guard let item = try await store.fetch(ItemRecord.self, "SELECT * FROM item WHERE id = \(itemID)").first else { throw ReviewError.unknownItem(itemID) }
            let ancestors = try await store.ancestors(of: item)
            let decision = try await store.fetch(DecisionRecord.self, "SELECT * FROM decision WHERE itemID = \(itemID)").first
            let parent = item.parentID ?? item.threadRootID
            let siblings = try await store.fetch(ItemRecord.self, """
                SELECT * FROM item WHERE platform = \(item.platform) AND id != \(itemID)
                  AND (parentID = \(parent) OR (parentID IS NULL AND \(parent) = threadRootID AND kind != 'post'))
                ORDER BY createdAt LIMIT 20
                """)
            let others = (ancestors + siblings).compactMap(\.id)
            let otherDecisions = try await store.fetch(DecisionRecord.self, "SELECT * FROM decision WHERE itemID = ANY(\(others))")
            let byDecision = try await store.findings(decisionIDs: otherDecisions.compactMap(\.id) + [decision?.id].compactMap { $0 })
            var threadFindings: [Int64: [FindingRecord]] = [:]
            for other in otherDecisions { threadFindings[other.itemID] = byDecision[other.id ?? 0] ?? [] }
            let review = try await store.fetch(ReviewRecord.self, "SELECT * FROM review WHERE itemID = \(itemID)").first
            var group: [GroupMember] = []
            if let review, let key = review.groupKey {
                group = try await store.rows(Self.numbered(QueueQuery.groupMembersSQL, [.text(key), .text(review.status)])).map {
                    GroupMember(itemID: try $0.value("itemid") ?? 0, status: try $0.value("status") ?? "", platform: try $0.value("platform") ?? "",
                                authorName: try $0.value("authorname") ?? "", createdAt: try $0.value("createdat") ?? Date())
                }
            }
            return ReviewDetail(
                item: item, decision: decision, findings: decision.flatMap { byDecision[$0.id ?? 0] } ?? [],
                actions: try await store.fetch(ActionRecord.self, "SELECT * FROM action WHERE itemID = \(itemID) ORDER BY id"),
                review: review, ancestors: ancestors, siblings: siblings,
                adverseEvent: try await store.fetch(AdverseEventRecord.self, "SELECT * FROM adverse_event WHERE itemID = \(itemID)").first,
                threadFindings: threadFindings, group: group.count > 1 ? group : [])
        }
    }

    public func review(itemID: Int64, action: ReviewAction, actor: String, text: String?, assignee: String?, at now: Date) throws -> [Int64] {
        try wait { store in try await store.withAudit { connection in
            try await store.review(itemID: itemID, action: action, actor: actor, text: text, assignee: assignee, at: now, on: connection)
        } }
    }

    private func review(itemID: Int64, action: ReviewAction, actor: String, text: String?, assignee: String?, at now: Date,
                        on connection: PostgresConnection) async throws -> ([Int64], [AuditEntry]) {
        guard var review = try await fetch(ReviewRecord.self, "SELECT * FROM review WHERE itemID = \(itemID) FOR UPDATE", on: connection).first else {
            throw ReviewError.notQueued(itemID)
        }
        let before = review
        var changed: [[String: String]] = []
        var created: [Int64] = []
        let actions = try await fetch(ActionRecord.self, "SELECT * FROM action WHERE itemID = \(itemID) ORDER BY id FOR UPDATE", on: connection)
        func setStatus(_ record: ActionRecord, _ status: ActionStatus, payload: String? = nil) async throws {
            changed.append(["id": String(record.id ?? 0), "status": record.status, "payload": record.payload ?? ""])
            try await execute("""
                UPDATE action SET status = \(status.rawValue), payload = COALESCE(\(payload), payload), updatedAt = \(now) WHERE id = \(record.id ?? 0)
                """, on: connection)
        }
        var aeBefore: String?
        switch action {
        case .approve:
            let drafts = actions.filter(\.awaitsApproval)
            guard !drafts.isEmpty else { throw ReviewError.noDraft(itemID) }
            for draft in drafts { try await setStatus(draft, .pending, payload: text) }
            review.status = "resolved"
        case .hide, .unhide:
            for pending in actions where pending.status == ActionStatus.pending.rawValue
                && (pending.kind == ActionKind.hide.rawValue || pending.kind == ActionKind.unhide.rawValue) {
                try await setStatus(pending, .cancelled)
            }
            created.append(try await queuePersonsAction(itemID: itemID, kind: action == .hide ? .hide : .unhide, status: .pending, at: now, on: connection))
            review.status = "resolved"
        case .dismiss:
            for draft in actions where draft.status == ActionStatus.draft.rawValue || draft.status == ActionStatus.pending.rawValue {
                try await setStatus(draft, .cancelled)
            }
            review.status = "dismissed"
        case .escalate:
            created.append(try await queuePersonsAction(itemID: itemID, kind: .escalate, status: .open, at: now, on: connection))
            review.status = "escalated"
        case .reopen:
            review.status = "open"
        case .assign:
            review.assignee = assignee.flatMap { $0.isEmpty ? nil : $0 }
            // Only to someone who can sign in and see it.
            if let name = review.assignee, try await rows("SELECT name FROM \"user\" WHERE name = \(name)", on: connection).first == nil {
                throw ReviewError.unknownUser(name)
            }
        case .aeReported:
            aeBefore = try await rows("SELECT status FROM adverse_event WHERE itemID = \(itemID)", on: connection).first?.value("status")
            try await execute("UPDATE adverse_event SET status = 'reported' WHERE itemID = \(itemID)", on: connection)
        }
        if review.status != before.status { review.closedBy = nil }  // a person's status is theirs, not the automation's
        try await execute("""
            UPDATE review SET status = \(review.status), assignee = \(review.assignee), updatedAt = \(now), firstActionAt = COALESCE(firstActionAt, \(now)),
                closedBy = \(review.closedBy)
            WHERE itemID = \(itemID)
            """, on: connection)
        if review.status != before.status {
            for sql in ReviewGroups.movedSQL(review.groupKey, itemID: itemID, from: before.status, dialect: .postgres) {
                try await execute(PostgresQuery(unsafeSQL: sql), on: connection)
            }
        }
        let state: [String: Any] = [
            "status": before.status, "assignee": before.assignee ?? "", "actions": changed, "created": created.map(String.init), "ae": aeBefore ?? "",
        ]
        let stateText = String(decoding: try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys]), as: UTF8.self)
        try await execute("""
            INSERT INTO undo (userName, itemID, action, state, at) VALUES (\(actor), \(itemID), \(action.rawValue), \(stateText), \(now))
            ON CONFLICT (userName) DO UPDATE SET itemID = excluded.itemID, action = excluded.action, state = excluded.state, at = excluded.at
            """, on: connection)
        return (created, [AuditEntry(at: now, actor: "user:\(actor)", event: "review.\(action.rawValue)", itemID: itemID,
                                     before: before.status, after: review.status,
                                     detail: action == .assign ? "assignee=\(review.assignee ?? "none")" : (text != nil ? "reply edited" : nil))])
    }

    /// An outbox action a person asked for: each request is its own intent, so its key is unique.
    private func queuePersonsAction(itemID: Int64, kind: ActionKind, status: ActionStatus, at now: Date, on connection: PostgresConnection) async throws -> Int64 {
        let key = "\(itemID):\(kind.rawValue):\(UUID().uuidString)"
        return try await rows("""
            INSERT INTO action (itemID, kind, idempotencyKey, status, attempts, ruleIDs, createdAt, updatedAt)
            VALUES (\(itemID), \(kind.rawValue), \(key), \(status.rawValue), 0, '[]', \(now), \(now)) RETURNING id
            """, on: connection).first?.value("id") ?? 0
    }

    public func undoLast(actor: String, at now: Date) throws -> (itemID: Int64, action: String) {
        let (itemID, action) = try wait { store in try await store.withAudit { connection in
            guard let undo = try await store.fetch(UndoRecord.self, "SELECT * FROM undo WHERE userName = \(actor) FOR UPDATE", on: connection).first else {
                throw ReviewError.nothingToUndo
            }
            let state = (try? JSONSerialization.jsonObject(with: Data(undo.state.utf8))) as? [String: Any] ?? [:]
            for entry in state["actions"] as? [[String: String]] ?? [] {
                guard let id = entry["id"].flatMap(Int64.init),
                      let record = try await store.fetch(ActionRecord.self, "SELECT * FROM action WHERE id = \(id) FOR UPDATE", on: connection).first else { continue }
                if record.status == ActionStatus.done.rawValue || record.status == ActionStatus.sending.rawValue {
                    throw ReviewError.alreadySent(record.kind.replacingOccurrences(of: "_", with: " "))
                }
                let payload = (entry["payload"] ?? "").isEmpty ? record.payload : entry["payload"]
                try await store.execute("UPDATE action SET status = \(entry["status"] ?? record.status), payload = \(payload), updatedAt = \(now) WHERE id = \(id)",
                                        on: connection)
            }
            for id in (state["created"] as? [String] ?? []).compactMap(Int64.init) {
                guard let record = try await store.fetch(ActionRecord.self, "SELECT * FROM action WHERE id = \(id) FOR UPDATE", on: connection).first else { continue }
                if record.status == ActionStatus.done.rawValue, record.kind == ActionKind.hide.rawValue || record.kind == ActionKind.unhide.rawValue {
                    let opposite: ActionKind = record.kind == ActionKind.hide.rawValue ? .unhide : .hide
                    _ = try await store.queuePersonsAction(itemID: undo.itemID, kind: opposite, status: .pending, at: now, on: connection)
                } else if record.status != ActionStatus.done.rawValue {
                    try await store.execute("UPDATE action SET status = 'cancelled', updatedAt = \(now) WHERE id = \(id)", on: connection)
                }
            }
            var entries: [AuditEntry] = []
            if let review = try await store.fetch(ReviewRecord.self, "SELECT * FROM review WHERE itemID = \(undo.itemID) FOR UPDATE", on: connection).first {
                let status = state["status"] as? String ?? review.status
                var assignee = review.assignee
                if undo.action == ReviewAction.assign.rawValue {
                    let previous = state["assignee"] as? String ?? ""
                    assignee = previous.isEmpty ? nil : previous
                }
                try await store.execute("UPDATE review SET status = \(status), assignee = \(assignee), updatedAt = \(now) WHERE itemID = \(undo.itemID)",
                                        on: connection)
                if status != review.status {
                    for sql in ReviewGroups.movedSQL(review.groupKey, itemID: undo.itemID, from: review.status, dialect: .postgres) {
                        try await store.execute(PostgresQuery(unsafeSQL: sql), on: connection)
                    }
                }
                if let ae = state["ae"] as? String, !ae.isEmpty {
                    try await store.execute("UPDATE adverse_event SET status = \(ae) WHERE itemID = \(undo.itemID)", on: connection)
                }
                entries.append(AuditEntry(at: now, actor: "user:\(actor)", event: "review.undo", itemID: undo.itemID, before: review.status, after: status,
                                          detail: "undid \(undo.action)"))
            }
            try await store.execute("DELETE FROM undo WHERE userName = \(actor)", on: connection)
            return ((undo.itemID, undo.action), entries)
        } }
        return (itemID, action)
    }

    public func responseBreaches(now: Date, since: Date) throws -> ResponseBreaches {
        try wait { store in
            var breaches = ResponseBreaches()
            for row in try await store.rows(Self.numbered(SharedSQL.waitingPastTarget, [.date(now)])) {
                breaches.waiting[try row.value("target") ?? ""] = Int(try row.value("n", as: Int64.self) ?? 0)
            }
            for row in try await store.rows(Self.numbered(SharedSQL.answeredLate, [.date(since)])) {
                breaches.late[try row.value("target") ?? ""] = Int(try row.value("n", as: Int64.self) ?? 0)
            }
            return breaches
        }
    }

    public func forgetUndo(actor: String) throws {
        _ = try wait { try await $0.rows("DELETE FROM undo WHERE userName = \(actor)") }
    }

    public func lastUndoable(actor: String) throws -> UndoRecord? {
        try wait { try await $0.fetch(UndoRecord.self, "SELECT * FROM undo WHERE userName = \(actor)").first }
    }

    public func recordReveal(itemID: Int64, finding: FindingRecord?, actor: String, at now: Date) throws {
        try appendAudit(AuditEntry(at: now, actor: "user:\(actor)", event: "phi.revealed", itemID: itemID, detail: RevealNote.detail(finding)))
    }
}
