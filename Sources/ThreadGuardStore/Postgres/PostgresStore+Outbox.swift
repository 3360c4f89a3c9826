import Foundation
import PostgresNIO
import ThreadGuardCore

/// The outbox on PostgreSQL: as on SQLite, an executor sends a row only after a conditional update made it the row's
/// owner, and every later change is conditional on that ownership; here the executors may run on many machines.
extension PostgresStore {
    public func actions(status: ActionStatus, limit: Int) throws -> [ActionRecord] {
        try wait { try await $0.fetch(ActionRecord.self, "SELECT * FROM action WHERE status = \(status.rawValue) ORDER BY id LIMIT \(limit)") }
    }

    public func pendingActions(after afterID: Int64, limit: Int) throws -> [ActionRecord] {
        try wait { try await $0.fetch(ActionRecord.self, "SELECT * FROM action WHERE status = 'pending' AND id > \(afterID) ORDER BY id LIMIT \(limit)") }
    }

    public func publicReplyThreads() throws -> Set<String> {
        let items = try wait { try await $0.fetch(ItemRecord.self, """
            SELECT item.* FROM action JOIN item ON item.id = action.itemID WHERE action.kind = 'public_reply' AND action.status != 'dead'
            """) }
        return Set(items.map { "\($0.sourceName):\($0.item.topCommentID)" })
    }

    public func action(id: Int64) throws -> ActionRecord? {
        try wait { try await $0.fetch(ActionRecord.self, "SELECT * FROM action WHERE id = \(id)").first }
    }

    public func actions(itemID: Int64) throws -> [ActionRecord] {
        try wait { try await $0.fetch(ActionRecord.self, "SELECT * FROM action WHERE itemID = \(itemID) ORDER BY id") }
    }

    public func allActions() throws -> [ActionRecord] {
        try wait { try await $0.fetch(ActionRecord.self, "SELECT * FROM action ORDER BY id") }
    }

    public func claimAction(id: Int64, owner: String, at now: Date) throws -> Bool {
        try wait { store in
            !(try await store.rows("""
                UPDATE action SET status = 'sending', owner = \(owner), claimedAt = \(now), updatedAt = \(now)
                WHERE id = \(id) AND status = 'pending' RETURNING id
                """).isEmpty)
        }
    }

    public func takeOverAction(id: Int64, from previousOwner: String?, owner: String, at now: Date) throws -> Bool {
        try wait { store in
            !(try await store.rows("""
                UPDATE action SET owner = \(owner), claimedAt = \(now), updatedAt = \(now)
                WHERE id = \(id) AND status = 'sending' AND owner IS NOT DISTINCT FROM \(previousOwner) RETURNING id
                """).isEmpty)
        }
    }

    /// The row, locked for this transaction, when `owner` holds it (any row when `owner` is nil).
    private func ownedAction(_ id: Int64, owner: String?, on connection: PostgresConnection) async throws -> ActionRecord? {
        guard let action = try await fetch(ActionRecord.self, "SELECT * FROM action WHERE id = \(id) FOR UPDATE", on: connection).first else {
            throw StoreError.unknownAction(id)
        }
        guard let owner else { return action }
        return action.status == ActionStatus.sending.rawValue && action.owner == owner ? action : nil
    }

    public func returnToDraft(id: Int64, owner: String, reason: String, actor: String, at now: Date) throws {
        try wait { store in
            try await store.withAudit { connection in
                guard let action = try await store.ownedAction(id, owner: owner, on: connection) else { return ((), []) }
                try await store.execute("""
                    UPDATE action SET status = 'draft', owner = NULL, lastError = \(reason), updatedAt = \(now) WHERE id = \(id)
                    """, on: connection)
                return ((), [AuditEntry(at: now, actor: actor, event: "\(action.kind).held", itemID: action.itemID,
                                        ruleIDs: JSONList.decode(action.ruleIDs), before: action.status, after: ActionStatus.draft.rawValue, detail: reason)])
            }
        }
    }

    public func completeAction(id: Int64, platformRef: String?, actor: String, owner: String?, detail: String?, at now: Date) throws -> Bool {
        try wait { store in
            try await store.withAudit { connection in
                guard let action = try await store.ownedAction(id, owner: owner, on: connection) else { return (false, []) }
                try await store.execute("""
                    UPDATE action SET status = 'done', attempts = attempts + 1, platformRef = \(platformRef), updatedAt = \(now), lastError = NULL
                    WHERE id = \(id)
                    """, on: connection)
                if action.kind == ActionKind.hide.rawValue || action.kind == ActionKind.unhide.rawValue {
                    try await store.execute("UPDATE item SET isHidden = \(action.kind == ActionKind.hide.rawValue) WHERE id = \(action.itemID)", on: connection)
                }
                var entries = [AuditEntry(at: now, actor: actor, event: action.kind, itemID: action.itemID, ruleIDs: JSONList.decode(action.ruleIDs),
                                          before: action.status, after: ActionStatus.done.rawValue, detail: detail)]
                let closed = try await store.rows(Self.numbered(SharedSQL.autoClose + " RETURNING groupKey", [.date(now), .int(action.itemID)]), on: connection)
                if let row = closed.first {
                    entries.append(AuditEntry(at: now, actor: "system", event: "review.auto_closed", itemID: action.itemID, before: "open", after: "resolved",
                                              detail: "the automation did everything it queued"))
                    for sql in ReviewGroups.movedSQL(try row.value("groupkey"), itemID: action.itemID, from: "open", dialect: .postgres) {
                        try await store.execute(PostgresQuery(unsafeSQL: sql), on: connection)
                    }
                }
                return (true, entries)
            }
        }
    }

    public func failAction(id: Int64, reason: String, giveUp: Bool, actor: String, owner: String?, at now: Date) throws -> Bool {
        try wait { store in
            try await store.withAudit { connection in
                guard let action = try await store.ownedAction(id, owner: owner, on: connection) else { return (false, []) }
                let status = giveUp ? ActionStatus.dead.rawValue : action.status
                try await store.execute("""
                    UPDATE action SET attempts = attempts + 1, lastError = \(reason), updatedAt = \(now), status = \(status) WHERE id = \(id)
                    """, on: connection)
                return (true, [AuditEntry(at: now, actor: actor, event: "\(action.kind).failed", itemID: action.itemID,
                                          ruleIDs: JSONList.decode(action.ruleIDs), before: action.status, after: status, detail: reason)])
            }
        }
    }

    public func brandReplies(to record: ItemRecord) throws -> [ItemRecord] {
        try wait { try await $0.fetch(ItemRecord.self, """
            SELECT * FROM item WHERE platform = \(record.platform) AND sourceName = \(record.sourceName) AND isBrand AND parentID = \(record.platformID)
            ORDER BY id
            """) }
    }

    public func threadTexts(of record: ItemRecord, limit: Int) throws -> [ThreadText] {
        try wait { store in
            let rows = try await store.rows("""
                SELECT i.text, i.isBrand, d.id AS decisionID FROM item i LEFT JOIN decision d ON d.itemID = i.id
                WHERE i.platform = \(record.platform) AND (i.threadRootID = \(record.threadRootID) OR i.platformID = \(record.threadRootID) OR i.id = \(record.id))
                ORDER BY i.id LIMIT \(max(1, limit))
                """)
            let decisionIDs = try rows.compactMap { try $0.value("decisionid", as: Int64.self) }
            let findings = try await store.findings(decisionIDs: decisionIDs)
            return try rows.map { row in
                let decisionID = try row.value("decisionid", as: Int64.self)
                return ThreadText(text: try row.value("text") ?? "", isBrand: try row.value("isbrand") ?? false,
                                  findings: decisionID.map { findings[$0] ?? [] })
            }
        }
    }

    /// The findings of many decisions, by decision.
    func findings(decisionIDs: [Int64], on connection: PostgresConnection? = nil) async throws -> [Int64: [FindingRecord]] {
        guard !decisionIDs.isEmpty else { return [:] }
        var found: [Int64: [FindingRecord]] = [:]
        for finding in try await fetch(FindingRecord.self, "SELECT * FROM finding WHERE decisionID = ANY(\(decisionIDs)) ORDER BY id", on: connection) {
            found[finding.decisionID, default: []].append(finding)
        }
        return found
    }
}
