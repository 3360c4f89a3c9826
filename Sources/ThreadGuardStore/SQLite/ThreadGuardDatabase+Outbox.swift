import Foundation
import GRDB
import ThreadGuardCore

/// The outbox: one owner per action. An executor sends a row only after a conditional update made it the row's
/// owner (`status` from pending to sending, `owner` set); every later change to the row is conditional on that
/// ownership, so a second executor — in this process or another — can neither send it again nor overwrite what the
/// first one recorded.
extension ThreadGuardDatabase {
    /// Actions waiting for the executor, oldest first.
    public func pendingActions(limit: Int = 500) throws -> [ActionRecord] {
        try actions(status: .pending, limit: limit)
    }

    /// The comments (a reply's parent, else the comment itself) that already have a public reply queued or sent,
    /// as `source:platform id`: one public pointer per thread is enough.
    public func publicReplyThreads() throws -> Set<String> {
        try pool.read { db in
            let items = try ItemRecord.fetchAll(db, sql: """
                SELECT item.* FROM action JOIN item ON item.id = action.itemID
                WHERE action.kind = 'public_reply' AND action.status != 'dead'
                """)
            return Set(items.map { "\($0.sourceName):\($0.item.topCommentID)" })
        }
    }

    public func actions(status: ActionStatus, limit: Int = 500) throws -> [ActionRecord] {
        try pool.read { db in
            try ActionRecord.filter(ActionRecord.Columns.status == status.rawValue)
                .order(ActionRecord.Columns.id).limit(limit).fetchAll(db)
        }
    }

    /// Pending actions after `afterID`, oldest first (an executor walks them in batches).
    public func pendingActions(after afterID: Int64, limit: Int) throws -> [ActionRecord] {
        try pool.read { db in
            try ActionRecord.filter(ActionRecord.Columns.status == ActionStatus.pending.rawValue && ActionRecord.Columns.id > afterID)
                .order(ActionRecord.Columns.id).limit(limit).fetchAll(db)
        }
    }

    public func action(id: Int64) throws -> ActionRecord? {
        try pool.read { db in try ActionRecord.fetchOne(db, key: id) }
    }

    /// Makes `owner` the only sender of a pending action: true when this call won it (the row was pending and is
    /// now sending under `owner`, committed before anything leaves), false when someone else holds or finished it.
    public func claimAction(id: Int64, owner: String, at now: Date = Date()) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE action SET status = 'sending', owner = ?, claimedAt = ?, updatedAt = ? WHERE id = ? AND status = 'pending'
                """, arguments: [owner, StoredDate.value(now), StoredDate.value(now), id])
            return db.changesCount == 1
        }
    }

    /// Takes over an action left in `sending` by an executor that is gone (its process died): true when this call
    /// won it. `previousOwner` is the owner the caller saw; if anyone else took it over meanwhile, nothing changes.
    public func takeOverAction(id: Int64, from previousOwner: String?, owner: String, at now: Date = Date()) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE action SET owner = ?, claimedAt = ?, updatedAt = ? WHERE id = ? AND status = 'sending' AND owner IS ?
                """, arguments: [owner, StoredDate.value(now), StoredDate.value(now), id, previousOwner])
            return db.changesCount == 1
        }
    }

    /// Puts an owned action back for a person (a reply the guard refused at the last moment): it becomes a draft
    /// with the reason, and no executor will send it until someone approves it again.
    public func returnToDraft(id: Int64, owner: String, reason: String, actor: String, at now: Date = Date()) throws {
        try pool.write { db in
            guard var action = try ownedAction(db, id: id, owner: owner) else { return }
            let before = action.status
            action.status = ActionStatus.draft.rawValue
            action.owner = nil
            action.lastError = reason
            action.updatedAt = now
            try action.update(db)
            try appendAudit(db, AuditEntry(at: now, actor: actor, event: "\(action.kind).held", itemID: action.itemID,
                                           ruleIDs: JSONList.decode(action.ruleIDs), before: before, after: action.status, detail: reason))
        }
    }

    /// Records that an action is about to be sent (committed before the request leaves).
    public func markSending(id: Int64, at now: Date = Date()) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE action SET status = ?, updatedAt = ? WHERE id = ? AND status IN (?, ?)",
                           arguments: [ActionStatus.sending.rawValue, now, id, ActionStatus.pending.rawValue, ActionStatus.sending.rawValue])
        }
    }

    public func actions(itemID: Int64) throws -> [ActionRecord] {
        try pool.read { db in try ActionRecord.filter(ActionRecord.Columns.itemID == itemID).order(ActionRecord.Columns.id).fetchAll(db) }
    }

    public func allActions() throws -> [ActionRecord] {
        try pool.read { db in try ActionRecord.order(ActionRecord.Columns.id).fetchAll(db) }
    }

    /// The row when `owner` holds it (sending, owned by `owner`); nil when it does not (anyone may change an
    /// unowned row: tests and people's tools).
    func ownedAction(_ db: Database, id: Int64, owner: String?) throws -> ActionRecord? {
        guard let action = try ActionRecord.fetchOne(db, key: id) else { throw StoreError.unknownAction(id) }
        guard let owner else { return action }
        return action.status == ActionStatus.sending.rawValue && action.owner == owner ? action : nil
    }

    /// Marks an action done, applies its effect to the item (hidden state) and audits it, in one transaction.
    /// With `owner`, only while that owner holds the row: returns false (and changes nothing) otherwise.
    @discardableResult
    public func completeAction(id: Int64, platformRef: String?, actor: String, owner: String? = nil, detail: String? = nil,
                               at now: Date = Date()) throws -> Bool {
        try pool.write { db in
            guard var action = try ownedAction(db, id: id, owner: owner) else { return false }
            let before = action.status
            action.status = ActionStatus.done.rawValue
            action.attempts += 1
            action.platformRef = platformRef
            action.updatedAt = now
            action.lastError = nil
            try action.update(db)
            if action.kind == ActionKind.hide.rawValue || action.kind == ActionKind.unhide.rawValue {
                try db.execute(
                    sql: "UPDATE item SET isHidden = ? WHERE id = ?",
                    arguments: [action.kind == ActionKind.hide.rawValue, action.itemID])
            }
            try appendAudit(db, AuditEntry(
                at: now, actor: actor, event: action.kind, itemID: action.itemID,
                ruleIDs: JSONList.decode(action.ruleIDs), before: before, after: action.status, detail: detail))
            try db.execute(sql: SharedSQL.autoClose, arguments: [StoredDate.value(now), action.itemID])
            if db.changesCount > 0 {
                try appendAudit(db, AuditEntry(at: now, actor: "system", event: "review.auto_closed", itemID: action.itemID, before: "open", after: "resolved",
                                               detail: "the automation did everything it queued"))
                let key = try String.fetchOne(db, sql: "SELECT groupKey FROM review WHERE itemID = ?", arguments: [action.itemID])
                for sql in ReviewGroups.movedSQL(key, itemID: action.itemID, from: "open", dialect: .sqlite) { try db.execute(sql: sql) }
            }
            return true
        }
    }

    /// Records a failed attempt; `giveUp` moves the action to the dead-letter state. With `owner`, only while that
    /// owner holds the row: returns false (and changes nothing) otherwise.
    @discardableResult
    public func failAction(id: Int64, reason: String, giveUp: Bool, actor: String, owner: String? = nil, at now: Date = Date()) throws -> Bool {
        try pool.write { db in
            guard var action = try ownedAction(db, id: id, owner: owner) else { return false }
            let before = action.status
            action.attempts += 1
            action.lastError = reason
            action.updatedAt = now
            if giveUp { action.status = ActionStatus.dead.rawValue }
            try action.update(db)
            try appendAudit(db, AuditEntry(
                at: now, actor: actor, event: "\(action.kind).failed", itemID: action.itemID,
                ruleIDs: JSONList.decode(action.ruleIDs), before: before, after: action.status, detail: reason))
            return true
        }
    }

    /// The brand's own replies stored under a comment (`parentID` is its platform id): a reply that is already on
    /// the platform, seen by a poll.
    public func brandReplies(to record: ItemRecord) throws -> [ItemRecord] {
        try pool.read { db in
            try ItemRecord.fetchAll(db, sql: """
                SELECT * FROM item WHERE platform = ? AND sourceName = ? AND isBrand = 1 AND parentID = ? ORDER BY id
                """, arguments: [record.platform, record.sourceName, record.platformID])
        }
    }
}

/// One text of a thread, for the reply guard: with the findings its decision stored, or nil when it has none yet.
public struct ThreadText: Sendable {
    public var text: String
    public var isBrand: Bool
    public var findings: [FindingRecord]?

    public init(text: String, isBrand: Bool, findings: [FindingRecord]?) {
        self.text = text
        self.isBrand = isBrand
        self.findings = findings
    }
}

extension ThreadGuardDatabase {
    /// Every stored text of the item's thread (its post, the comments and replies under it, the item itself), up
    /// to `limit`, with the identifier findings each one's decision stored.
    public func threadTexts(of record: ItemRecord, limit: Int = 2000) throws -> [ThreadText] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.text, i.isBrand, d.id AS decisionID FROM item i LEFT JOIN decision d ON d.itemID = i.id
                WHERE i.platform = ? AND (i.threadRootID = ? OR i.platformID = ? OR i.id = ?) ORDER BY i.id LIMIT ?
                """, arguments: [record.platform, record.threadRootID, record.threadRootID, record.id, max(1, limit)])
            var findings: [Int64: [FindingRecord]] = [:]
            let decisionIDs = rows.compactMap { $0["decisionID"] as Int64? }
            for start in stride(from: 0, to: decisionIDs.count, by: 500) {
                let chunk = Array(decisionIDs[start..<min(decisionIDs.count, start + 500)])
                for finding in try FindingRecord.filter(chunk.contains(FindingRecord.Columns.decisionID)).fetchAll(db) {
                    findings[finding.decisionID, default: []].append(finding)
                }
            }
            return rows.map { row in
                let decisionID: Int64? = row["decisionID"]
                return ThreadText(text: row["text"], isBrand: row["isBrand"], findings: decisionID.map { findings[$0] ?? [] })
            }
        }
    }
}
