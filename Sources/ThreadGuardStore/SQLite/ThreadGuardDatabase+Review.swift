import Foundation
import GRDB
import ThreadGuardCore

/// What the queue shows, and how.
public struct QueueFilter: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable { case priority, due, newest, oldest }
    public var status: String? = "open"
    public var category: String?
    public var platform: String?
    public var source: String?
    public var minPriority: Int?
    /// Only items posted within this many hours.
    public var maxAgeHours: Int?
    public var assignee: String?
    /// Only items nobody is assigned to.
    public var unassigned = false
    /// Words every listed comment contains (each as a word's beginning).
    public var search: String?
    /// Near-identical comments as one row (ignored when filtering by platform or source).
    public var grouped = true
    public var sort: Sort = .priority
    public var page = 1
    public var pageSize = 50
    /// Pages past this one are not asked for (the offset arithmetic stays far from overflow).
    public static let maxPage = 1_000_000

    public init() {}

    /// Whether near-identical comments show as one row (grouping gives way to a platform or source filter).
    public var isGrouped: Bool { grouped && platform == nil && source == nil }
}

/// One row of the queue page.
public struct QueueRow: Sendable {
    public var itemID: Int64
    public var platform: String
    public var source: String
    public var kind: String
    public var authorName: String
    public var text: String
    public var createdAt: Date
    public var status: String
    public var priority: Int
    public var category: String
    public var categories: [String]
    public var assignee: String?
    public var phi: Bool
    public var findings: [FindingRecord]
    /// A drafted reply waits for approval.
    public var hasDraft: Bool
    /// An action gave up (its reason shows on the item page).
    public var hasDead: Bool
    public var groupKey: String?
    /// Items in its group with its status (1: alone), and on which platforms.
    public var groupCount = 1
    public var groupPlatforms: [String] = []
    /// Its response target (crisis, adverse_event, other) and when a person must first act.
    public var target: String = "other"
    public var dueAt: Date?
    /// "automation" when the workflow closed it itself.
    public var closedBy: String?
}

/// An item of a group of near-identical comments.
public struct GroupMember: Sendable, Equatable {
    public var itemID: Int64
    public var status: String
    public var platform: String
    public var authorName: String
    public var createdAt: Date

    public init(itemID: Int64, status: String, platform: String, authorName: String, createdAt: Date) {
        (self.itemID, self.status, self.platform, self.authorName, self.createdAt) = (itemID, status, platform, authorName, createdAt)
    }
}

public struct QueuePage: Sendable {
    public var rows: [QueueRow]
    /// Rows matching the filter, on every page.
    public var total: Int
    /// Items per status, under the filter's other conditions.
    public var statusCounts: [String: Int]
    /// Open items per category.
    public var categoryCounts: [String: Int]
}

/// Everything the item page shows.
public struct ReviewDetail: Sendable {
    public var item: ItemRecord
    public var decision: DecisionRecord?
    public var findings: [FindingRecord]
    public var actions: [ActionRecord]
    public var review: ReviewRecord?
    /// The post and comments above it, root first.
    public var ancestors: [ItemRecord]
    /// Other comments under the same parent.
    public var siblings: [ItemRecord]
    public var adverseEvent: AdverseEventRecord?
    /// Findings of the other items shown, so that their identifiers are masked too.
    public var threadFindings: [Int64: [FindingRecord]]
    /// Its group's items in its status, itself included (empty: a group of its own).
    public var group: [GroupMember] = []
}

/// What a person can do to a queued item.
public enum ReviewAction: String, Sendable, CaseIterable {
    case approve, hide, unhide, dismiss, escalate, reopen, assign
    case aeReported = "ae_reported"
}

public enum ReviewError: Error, Equatable, CustomStringConvertible {
    case unknownItem(Int64)
    case notQueued(Int64)
    case noDraft(Int64)
    case nothingToUndo
    case alreadySent(String)
    case userExists(String)
    case invalidUserName(String)
    case unknownUser(String)
    case lastAdmin(String)

    public var description: String {
        switch self {
        case .unknownItem(let id): return "no item \(id)"
        case .notQueued(let id): return "item \(id) is not in the review queue"
        case .noDraft(let id): return "item \(id) has no drafted reply to approve"
        case .nothingToUndo: return "nothing to undo"
        case .alreadySent(let what): return "cannot undo: \(what) already went out"
        case .userExists(let name): return "a user named '\(name)' already exists"
        case .invalidUserName(let problem): return problem
        case .unknownUser(let name): return "no user named '\(name)' (see `threadguard user list`)"
        case .lastAdmin(let name): return "'\(name)' is the last admin; add another admin first, or nobody could manage users"
        }
    }
}

extension ThreadGuardDatabase {
    // MARK: Queue

    public func queue(_ filter: QueueFilter, now: Date = Date()) throws -> QueuePage {
        let query = QueueQuery(filter, now: now, dialect: .sqlite)
        func arguments(_ values: [CopyValue]) -> StatementArguments {
            StatementArguments(values.map(\.databaseValue))
        }
        return try pool.read { db in
            var categoryCounts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: QueueQuery.tallyCategoryCountsSQL) {
                categoryCounts[row["category"]] = row["n"]
            }
            var statusCounts: [String: Int] = [:]
            let pageIDs: [Int64]
            if let matchesSQL = query.matchesSQL {
                // A search: the matching rows read once, counted and paged here (see QueueQuery.matchesSQL).
                var matches: [(itemID: Int64, status: String)] = []
                let cursor = try Row.fetchCursor(db, sql: matchesSQL, arguments: arguments(query.values))
                while let row = try cursor.next() { matches.append((row[0], row[1])) }
                (statusCounts, pageIDs) = query.page(of: matches)
            } else {
                // Counts without conditions come from `review_tally` (kept by triggers); with conditions they are counted.
                let countsSQL = query.tallyStatusCountsSQL ?? query.statusCountsSQL
                for row in try Row.fetchAll(db, sql: countsSQL, arguments: query.tallyStatusCountsSQL == nil ? arguments(query.values) : []) {
                    statusCounts[row["status"]] = row["n"]
                }
                pageIDs = try Int64.fetchAll(db, sql: query.pageIDsSQL, arguments: arguments(query.allValues))
            }
            let total = query.total(statusCounts)
            guard !pageIDs.isEmpty else { return QueuePage(rows: [], total: total, statusCounts: statusCounts, categoryCounts: categoryCounts) }
            let fetched = try Row.fetchAll(db, sql: QueueQuery.detailSQL + " WHERE r.itemID IN (\(pageIDs.map(String.init).joined(separator: ",")))")
            let position = Dictionary(uniqueKeysWithValues: pageIDs.enumerated().map { ($1, $0) })
            let rows = fetched.sorted { (position[$0["itemID"] as Int64] ?? 0) < (position[$1["itemID"] as Int64] ?? 0) }
            let decisionIDs = rows.compactMap { $0["decisionID"] as Int64? }
            var findings: [Int64: [FindingRecord]] = [:]
            if !decisionIDs.isEmpty {
                for finding in try FindingRecord.filter(decisionIDs.contains(FindingRecord.Columns.decisionID)).fetchAll(db) {
                    findings[finding.decisionID, default: []].append(finding)
                }
            }
            var queueRows = rows.map { row -> QueueRow in
                let decisionID: Int64? = row["decisionID"]
                return QueueRow(
                    itemID: row["itemID"], platform: row["platform"], source: row["sourceName"], kind: row["kind"],
                    authorName: row["authorName"], text: row["text"], createdAt: row["createdAt"], status: row["status"],
                    priority: row["priority"], category: row["category"], categories: JSONList.decode(row["categories"]),
                    assignee: row["assignee"], phi: row["phi"] ?? false, findings: decisionID.flatMap { findings[$0] } ?? [],
                    hasDraft: row["hasDraft"], hasDead: row["hasDead"], groupKey: row["groupKey"], target: row["target"],
                    dueAt: row["dueAt"], closedBy: row["closedBy"])
            }
            if let sql = QueueQuery.groupCountsSQL(Set(queueRows.compactMap(\.groupKey))) {
                let counts = try Row.fetchAll(db, sql: sql).map { GroupCount(key: $0["groupKey"], status: $0["status"], platform: $0["platform"], count: $0["n"]) }
                GroupCount.apply(counts, to: &queueRows)
            }
            return QueuePage(rows: queueRows, total: total, statusCounts: statusCounts, categoryCounts: categoryCounts)
        }
    }

    public func reviewDetail(itemID: Int64) throws -> ReviewDetail {
        guard let item = try item(id: itemID) else { throw ReviewError.unknownItem(itemID) }
        let ancestors = try self.ancestors(of: item)
        return try pool.read { db in
            let decision = try DecisionRecord.filter(DecisionRecord.Columns.itemID == itemID).fetchOne(db)
            let findings = try decision.map { try FindingRecord.filter(FindingRecord.Columns.decisionID == $0.id!).fetchAll(db) } ?? []
            let parent = item.parentID ?? item.threadRootID
            let siblings = try ItemRecord.fetchAll(db, sql: """
                SELECT * FROM item WHERE platform = ? AND id != ? AND (parentID = ? OR (parentID IS NULL AND ? = threadRootID AND kind != 'post'))
                ORDER BY createdAt LIMIT 20
                """, arguments: [item.platform, itemID, parent, parent])
            var threadFindings: [Int64: [FindingRecord]] = [:]
            for other in ancestors + siblings {
                guard let id = other.id, let otherDecision = try DecisionRecord.filter(DecisionRecord.Columns.itemID == id).fetchOne(db) else { continue }
                threadFindings[id] = try FindingRecord.filter(FindingRecord.Columns.decisionID == otherDecision.id!).fetchAll(db)
            }
            let review = try ReviewRecord.fetchOne(db, key: itemID)
            var group: [GroupMember] = []
            if let review, let key = review.groupKey {
                group = try Row.fetchAll(db, sql: QueueQuery.groupMembersSQL, arguments: [key, review.status]).map {
                    GroupMember(itemID: $0["itemID"], status: $0["status"], platform: $0["platform"], authorName: $0["authorName"], createdAt: $0["createdAt"])
                }
            }
            return ReviewDetail(
                item: item, decision: decision, findings: findings,
                actions: try ActionRecord.filter(ActionRecord.Columns.itemID == itemID).order(ActionRecord.Columns.id).fetchAll(db),
                review: review, ancestors: ancestors, siblings: siblings,
                adverseEvent: try AdverseEventRecord.filter(Column("itemID") == itemID).fetchOne(db), threadFindings: threadFindings,
                group: group.count > 1 ? group : [])
        }
    }

    // MARK: Working an item

    /// Carries out a person's action on a queued item in one transaction, audits it, and remembers how to undo
    /// it. `text` replaces the drafted reply (approve); `assignee` names who takes the item (assign).
    @discardableResult
    public func review(itemID: Int64, action: ReviewAction, actor: String, text: String? = nil, assignee: String? = nil,
                       at now: Date = Date()) throws -> [Int64] {
        try pool.write { db in
            guard var review = try ReviewRecord.fetchOne(db, key: itemID) else { throw ReviewError.notQueued(itemID) }
            let before = review
            var changed: [[String: String]] = []
            var created: [Int64] = []
            let actions = try ActionRecord.filter(ActionRecord.Columns.itemID == itemID).fetchAll(db)
            func setStatus(_ action: inout ActionRecord, _ status: ActionStatus, payload: String? = nil) throws {
                changed.append(["id": String(action.id!), "status": action.status, "payload": action.payload ?? ""])
                action.status = status.rawValue
                if let payload { action.payload = payload }
                action.updatedAt = now
                try action.update(db)
            }
            func queue(_ kind: ActionKind, status: ActionStatus) throws {
                created.append(try queuePersonsAction(db, itemID: itemID, kind: kind, status: status, at: now))
            }
            var aeBefore: String?
            switch action {
            case .approve:
                let drafts = actions.filter(\.awaitsApproval)
                guard !drafts.isEmpty else { throw ReviewError.noDraft(itemID) }
                for var draft in drafts { try setStatus(&draft, .pending, payload: text) }
                review.status = "resolved"
            case .hide, .unhide:
                for var pending in actions where pending.status == ActionStatus.pending.rawValue
                    && (pending.kind == ActionKind.hide.rawValue || pending.kind == ActionKind.unhide.rawValue) {
                    try setStatus(&pending, .cancelled)
                }
                try queue(action == .hide ? .hide : .unhide, status: .pending)
                review.status = "resolved"
            case .dismiss:
                for var draft in actions where draft.status == ActionStatus.draft.rawValue || draft.status == ActionStatus.pending.rawValue {
                    try setStatus(&draft, .cancelled)
                }
                review.status = "dismissed"
            case .escalate:
                try queue(.escalate, status: .open)
                review.status = "escalated"
            case .reopen:
                review.status = "open"
            case .assign:
                review.assignee = assignee.flatMap { $0.isEmpty ? nil : $0 }
                // Only to someone who can sign in and see it.
                if let name = review.assignee, try UserRecord.fetchOne(db, key: name) == nil { throw ReviewError.unknownUser(name) }
            case .aeReported:
                aeBefore = try String.fetchOne(db, sql: "SELECT status FROM adverse_event WHERE itemID = ?", arguments: [itemID])
                try db.execute(sql: "UPDATE adverse_event SET status = 'reported' WHERE itemID = ?", arguments: [itemID])
            }
            if review.status != before.status { review.closedBy = nil }  // a person's status is theirs, not the automation's
            review.updatedAt = now
            if review.firstActionAt == nil { review.firstActionAt = now }
            try review.update(db)
            if review.status != before.status {
                for sql in ReviewGroups.movedSQL(review.groupKey, itemID: itemID, from: before.status, dialect: .sqlite) { try db.execute(sql: sql) }
            }
            let state: [String: Any] = [
                "status": before.status, "assignee": before.assignee ?? "", "actions": changed, "created": created.map(String.init),
                "ae": aeBefore ?? "",
            ]
            let stateText = String(decoding: try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys]), as: UTF8.self)
            try UndoRecord(userName: actor, itemID: itemID, action: action.rawValue, state: stateText, at: now).save(db)
            try appendAudit(db, AuditEntry(at: now, actor: "user:\(actor)", event: "review.\(action.rawValue)", itemID: itemID,
                                           before: before.status, after: review.status,
                                           detail: action == .assign ? "assignee=\(review.assignee ?? "none")" : (text != nil ? "reply edited" : nil)))
            return created
        }
    }

    /// Undoes a person's last action: the item's queue state, drafts and assignment come back; a hide that already
    /// happened is reversed by an unhide (and the other way round); a reply that already went out cannot be undone.
    @discardableResult
    public func undoLast(actor: String, at now: Date = Date()) throws -> (itemID: Int64, action: String) {
        try pool.write { db in
            guard let undo = try UndoRecord.fetchOne(db, key: actor) else { throw ReviewError.nothingToUndo }
            let state = (try? JSONSerialization.jsonObject(with: Data(undo.state.utf8))) as? [String: Any] ?? [:]
            for entry in state["actions"] as? [[String: String]] ?? [] {
                guard let id = entry["id"].flatMap(Int64.init), var action = try ActionRecord.fetchOne(db, key: id) else { continue }
                if action.status == ActionStatus.done.rawValue || action.status == ActionStatus.sending.rawValue {
                    throw ReviewError.alreadySent(action.kind.replacingOccurrences(of: "_", with: " "))
                }
                action.status = entry["status"] ?? action.status
                action.payload = (entry["payload"] ?? "").isEmpty ? action.payload : entry["payload"]
                action.updatedAt = now
                try action.update(db)
            }
            for id in (state["created"] as? [String] ?? []).compactMap(Int64.init) {
                guard var action = try ActionRecord.fetchOne(db, key: id) else { continue }
                if action.status == ActionStatus.done.rawValue, action.kind == ActionKind.hide.rawValue || action.kind == ActionKind.unhide.rawValue {
                    let opposite: ActionKind = action.kind == ActionKind.hide.rawValue ? .unhide : .hide
                    try queuePersonsAction(db, itemID: undo.itemID, kind: opposite, status: .pending, at: now)
                } else if action.status != ActionStatus.done.rawValue {
                    action.status = ActionStatus.cancelled.rawValue
                    action.updatedAt = now
                    try action.update(db)
                }
            }
            if var review = try ReviewRecord.fetchOne(db, key: undo.itemID) {
                let before = review.status
                review.status = state["status"] as? String ?? review.status
                if undo.action == ReviewAction.assign.rawValue {
                    let previous = state["assignee"] as? String ?? ""
                    review.assignee = previous.isEmpty ? nil : previous
                }
                review.updatedAt = now
                try review.update(db)
                if review.status != before {
                    for sql in ReviewGroups.movedSQL(review.groupKey, itemID: undo.itemID, from: before, dialect: .sqlite) { try db.execute(sql: sql) }
                }
                if let ae = state["ae"] as? String, !ae.isEmpty {
                    try db.execute(sql: "UPDATE adverse_event SET status = ? WHERE itemID = ?", arguments: [ae, undo.itemID])
                }
                try appendAudit(db, AuditEntry(at: now, actor: "user:\(actor)", event: "review.undo", itemID: undo.itemID,
                                               before: before, after: review.status, detail: "undid \(undo.action)"))
            }
            try UndoRecord.deleteOne(db, key: actor)
            return (undo.itemID, undo.action)
        }
    }

    /// An outbox action a person asked for: each request is its own intent, so its key is unique.
    @discardableResult
    func queuePersonsAction(_ db: Database, itemID: Int64, kind: ActionKind, status: ActionStatus, at now: Date) throws -> Int64 {
        var row = ActionRecord(id: nil, itemID: itemID, kind: kind.rawValue, idempotencyKey: "\(itemID):\(kind.rawValue):\(UUID().uuidString)",
                               status: status.rawValue, attempts: 0, payload: nil, ruleIDs: "[]", createdAt: now, updatedAt: now,
                               lastError: nil, platformRef: nil, template: nil, owner: nil, claimedAt: nil)
        try row.insert(db)
        return row.id!
    }

    public func forgetUndo(actor: String) throws {
        try pool.write { db in _ = try UndoRecord.deleteOne(db, key: actor) }
    }

    public func lastUndoable(actor: String) throws -> UndoRecord? {
        try pool.read { db in try UndoRecord.fetchOne(db, key: actor) }
    }

    /// Records that a person saw an item's PHI unmasked.
    public func recordReveal(itemID: Int64, finding: FindingRecord? = nil, actor: String, at now: Date = Date()) throws {
        try appendAudit(AuditEntry(at: now, actor: "user:\(actor)", event: "phi.revealed", itemID: itemID, detail: RevealNote.detail(finding)))
    }

    public func responseBreaches(now: Date, since: Date) throws -> ResponseBreaches {
        try pool.read { db in
            var breaches = ResponseBreaches()
            for row in try Row.fetchAll(db, sql: SharedSQL.waitingPastTarget, arguments: [StoredDate.value(now)]) { breaches.waiting[row["target"]] = row["n"] }
            for row in try Row.fetchAll(db, sql: SharedSQL.answeredLate, arguments: [StoredDate.value(since)]) { breaches.late[row["target"]] = row["n"] }
            return breaches
        }
    }

    public func auditLog(itemID: Int64) throws -> [AuditRecord] {
        try pool.read { db in try AuditRecord.filter(Column("itemID") == itemID).order(Column("id")).fetchAll(db) }
    }
}
