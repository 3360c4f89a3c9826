import Foundation
import GRDB

/// An item a policy escalated to people (crisis, self-harm) whose review is not closed.
public struct CrisisItem: Sendable, Equatable {
    public var itemID: Int64
    public var platform: String
    public var sourceName: String
    public var categories: [String]
    public var ruleIDs: [String]
    public var priority: Int
    public var openedAt: Date
}

/// An adverse-event intake still open.
public struct OpenIntake: Sendable, Equatable {
    public var id: Int64
    public var itemID: Int64
    public var platform: String
    public var awareAt: Date
    public var dueAt: Date
}

/// An outbox action that gave up.
public struct DeadLetter: Sendable, Equatable {
    public var actionID: Int64
    public var itemID: Int64
    public var kind: String
    public var updatedAt: Date
}

/// The counts `status` and `/metrics` show, read in one transaction.
public struct OperationsSnapshot: Sendable {
    /// Open (and escalated) review items by priority.
    public var queueByPriority: [Int: Int] = [:]
    /// Outbox actions by status (pending, draft, sending, dead, …).
    public var outbox: [String: Int] = [:]
    public var crisis: [CrisisItem] = []
    public var intakes: [OpenIntake] = []
    public var deadLetters: [DeadLetter] = []
    /// When each source's cursors last moved.
    public var cursorMovedAt: [String: Date] = [:]
    public var alerts: [String: Int] = [:]
}

extension ThreadGuardDatabase {
    public func operationsSnapshot() throws -> OperationsSnapshot {
        try pool.read { db in
            var snapshot = OperationsSnapshot()
            for row in try Row.fetchAll(db, sql: "SELECT priority, COUNT(*) AS n FROM review WHERE status IN ('open', 'escalated') GROUP BY priority") {
                snapshot.queueByPriority[row["priority"]] = row["n"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM action GROUP BY status") {
                snapshot.outbox[row["status"]] = row["n"]
            }
            snapshot.crisis = try crisisItems(db)
            snapshot.intakes = try Row.fetchAll(db, sql: """
                SELECT id, itemID, platform, awareAt, dueAt FROM adverse_event WHERE status = 'open' ORDER BY id
                """).map { OpenIntake(id: $0["id"], itemID: $0["itemID"], platform: $0["platform"], awareAt: $0["awareAt"], dueAt: $0["dueAt"]) }
            snapshot.deadLetters = try Row.fetchAll(db, sql: """
                SELECT id, itemID, kind, updatedAt FROM action WHERE status = 'dead' ORDER BY id
                """).map { DeadLetter(actionID: $0["id"], itemID: $0["itemID"], kind: $0["kind"], updatedAt: $0["updatedAt"]) }
            for row in try Row.fetchAll(db, sql: "SELECT sourceName, MAX(updatedAt) AS moved FROM cursor GROUP BY sourceName") {
                snapshot.cursorMovedAt[row["sourceName"]] = row["moved"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM alert GROUP BY status") { snapshot.alerts[row["status"]] = row["n"] }
            return snapshot
        }
    }

    private func crisisItems(_ db: Database) throws -> [CrisisItem] {
        try Row.fetchAll(db, sql: SharedSQL.crisisItems).map { row in
            CrisisItem(itemID: row["id"], platform: row["platform"], sourceName: row["sourceName"],
                       categories: JSONList.decode(row["categories"] ?? ""), ruleIDs: JSONList.decode(row["ruleIDs"] ?? ""),
                       priority: row["priority"], openedAt: row["openedAt"])
        }
    }
}

/// An item a shadow rule fired on when it was decided: what the rule would have done (nothing was done for it).
public struct ShadowOutcome: Sendable, Equatable {
    public var itemID: Int64
    public var platform: String
    public var rules: [String]
    /// The actions the shadow rules would have added to what the enforced rules did.
    public var wouldHave: [String]
    /// The item's review status, when enforced rules queued it.
    public var reviewStatus: String?
    public var decidedAt: Date
}

extension ThreadGuardDatabase {
    /// The newest items shadow rules fired on, newest first; `rule` narrows to one rule.
    public func shadowOutcomes(rule: String? = nil, limit: Int = 200) throws -> [ShadowOutcome] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.itemID, i.platform, d.shadowRules, d.shadowActions, d.decidedAt, r.status AS reviewStatus
                FROM decision d JOIN item i ON i.id = d.itemID LEFT JOIN review r ON r.itemID = d.itemID
                WHERE d.shadowRules != '[]' \(rule == nil ? "" : "AND EXISTS (SELECT 1 FROM json_each(d.shadowRules) WHERE value = ?)")
                ORDER BY d.itemID DESC LIMIT \(max(1, min(limit, 10_000)))
                """, arguments: StatementArguments(rule.map { [$0] } ?? [])).map { row in
                ShadowOutcome(itemID: row["itemID"], platform: row["platform"], rules: JSONList.decode(row["shadowRules"] ?? ""),
                              wouldHave: JSONList.decode(row["shadowActions"] ?? ""), reviewStatus: row["reviewStatus"], decidedAt: row["decidedAt"])
            }
        }
    }
}
