import Foundation
import GRDB
import ThreadGuardCore

/// An action to queue with a decision.
public struct QueuedAction: Sendable, Equatable {
    public var kind: ActionKind
    public var status: ActionStatus
    public var payload: String?
    /// Why it waits for a person (a refused draft), shown in the queue.
    public var note: String?

    public init(kind: ActionKind, status: ActionStatus, payload: String? = nil, note: String? = nil) {
        self.kind = kind
        self.status = status
        self.payload = payload
        self.note = note
    }
}

/// One decision to record.
public struct DecisionInput: Sendable {
    public var itemID: Int64
    public var analysis: Analysis
    public var decision: Decision
    public var actions: [QueuedAction]
    public var intake: AdverseEventIntake?
    /// Near-identical comments share it (`ReviewGroups.key(of:)`); nil: the item forms a group of its own.
    public var groupKey: String?
    /// Its response target (from its categories and actions) and when a person must first act, if it is queued.
    public let target: ResponseTargets.Target
    public var dueAt: Date?

    public init(itemID: Int64, analysis: Analysis, decision: Decision, actions: [QueuedAction], intake: AdverseEventIntake?,
                groupKey: String? = nil, dueAt: Date? = nil) {
        self.itemID = itemID
        self.analysis = analysis
        self.decision = decision
        self.actions = actions
        self.intake = intake
        self.groupKey = groupKey
        target = ResponseTargets.target(categories: analysis.categories.map(\.rawValue), actions: decision.actions.map(\.rawValue))
        self.dueAt = dueAt
    }
}

/// What the workflow knows of a possible adverse event when it decides (the rest comes from the item).
public struct AdverseEventIntake: Sendable, Equatable {
    public var patientRelation: String
    public var products: [String]
    public var eventTerms: [String]
    public var dueDays: Int

    public init(patientRelation: String, products: [String], eventTerms: [String], dueDays: Int = 15) {
        self.patientRelation = patientRelation
        self.products = products
        self.eventTerms = eventTerms
        self.dueDays = dueDays
    }
}

extension ThreadGuardDatabase {
    public func adverseEvents(status: String? = nil) throws -> [AdverseEventRecord] {
        try pool.read { db in
            var request = AdverseEventRecord.order(AdverseEventRecord.Columns.awareAt)
            if let status { request = request.filter(AdverseEventRecord.Columns.status == status) }
            return try request.fetchAll(db)
        }
    }

    /// Records a decision, its findings, its outbox actions and the audit entry in one transaction.
    /// Deciding the same item twice is a no-op (returns false).
    @discardableResult
    public func recordDecision(
        itemID: Int64, analysis: Analysis, decision: Decision, actions: [QueuedAction], intake: AdverseEventIntake? = nil,
        at now: Date = Date()
    ) throws -> Bool {
        try recordDecisions([DecisionInput(itemID: itemID, analysis: analysis, decision: decision, actions: actions, intake: intake)], at: now) == 1
    }

    /// Records many decisions in one transaction (each with its findings, actions, intake and audit entry);
    /// returns how many were new.
    @discardableResult
    public func recordDecisions(_ batch: [DecisionInput], at now: Date = Date()) throws -> Int {
        let stamp = StoredDate.value(now)
        return try pool.write { db in
            var recorded = 0
            var tip: AuditChain.Tip?
            var groups: Set<String> = []
            for input in batch where try record(db, input, at: now, stamp: stamp, auditTip: &tip) {
                recorded += 1
                if let key = input.groupKey, !input.decision.actions.isEmpty { groups.insert(key) }
            }
            for sql in ReviewGroups.joinedSQL(groups, dialect: .sqlite) { try db.execute(sql: sql) }
            return recorded
        }
    }

    func record(_ db: Database, _ input: DecisionInput, at now: Date, stamp: DatabaseValue, auditTip: inout AuditChain.Tip?) throws -> Bool {
        let (itemID, analysis, decision, actions, intake) = (input.itemID, input.analysis, input.decision, input.actions, input.intake)
        // Cached statements: this runs for every comment of every poll. An item decided before keeps its decision
        // (the insert changes nothing, and nothing else is written).
        let rules = JSONList.encode(decision.rules)
        try db.cachedStatement(sql: """
            INSERT INTO decision (itemID, phi, score, subject, categories, actions, rules, priority, decidedAt, shadowRules, shadowActions)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (itemID) DO NOTHING
            """).execute(arguments: [
                itemID, analysis.phi, analysis.score, analysis.subject.rawValue, JSONList.encode(analysis.categories.map(\.rawValue)),
                JSONList.encode(decision.actions.map(\.rawValue)), rules, decision.priority, stamp,
                decision.shadowRules.isEmpty ? "[]" : JSONList.encode(decision.shadowRules),
                decision.shadowActions.isEmpty ? "[]" : JSONList.encode(decision.shadowActions.map(\.rawValue)),
            ])
        guard db.changesCount > 0 else { return false }
        let decisionID = db.lastInsertedRowID
        let findingInsert = try db.cachedStatement(sql: "INSERT INTO finding (decisionID, type, start, \"end\", score, recognizer) VALUES (?, ?, ?, ?, ?, ?)")
        for finding in analysis.findings {
            try findingInsert.execute(arguments: [decisionID, finding.type.rawValue, finding.start, finding.end, finding.score, finding.recognizer])
        }
        let actionInsert = try db.cachedStatement(sql: """
            INSERT INTO action (itemID, kind, idempotencyKey, status, attempts, payload, ruleIDs, createdAt, updatedAt, lastError, platformRef, template)
            VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (idempotencyKey) DO NOTHING
            """)
        for action in actions {
            try actionInsert.execute(arguments: [
                itemID, action.kind.rawValue, "\(itemID):\(action.kind.rawValue)", action.status.rawValue, action.payload, rules, stamp, stamp,
                action.note, action.kind == .privateReply || action.kind == .publicReply ? decision.replyTemplate : nil,
            ])
        }
        if !decision.actions.isEmpty {
            let categories = analysis.categories.map(\.rawValue)
            try db.cachedStatement(sql: """
                INSERT INTO review (itemID, status, priority, category, categories, openedAt, updatedAt, groupKey, target, dueAt)
                VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (itemID) DO NOTHING
                """).execute(arguments: [itemID, decision.priority, categories.first ?? (analysis.phi ? "phi" : "other"),
                                         JSONList.encode(categories), stamp, stamp, input.groupKey, input.target.rawValue,
                                         input.dueAt.map(StoredDate.value)])
        }
        if let intake, let item = try ItemRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM item WHERE id = ?"), arguments: [itemID]) {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO adverse_event (itemID, platform, platformID, permalink, awareAt, dueAt, status,
                    reporterIdentifiable, reporterHandle, patientIdentifiable, patientRelation, suspectProducts, eventTerms, ruleIDs, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    itemID, item.platform, item.platformID, item.permalink, StoredDate.value(item.fetchedAt),
                    StoredDate.value(item.fetchedAt.addingTimeInterval(TimeInterval(intake.dueDays * 86_400))),
                    !item.authorID.isEmpty, item.authorName, intake.patientRelation != "none", intake.patientRelation,
                    JSONList.encode(intake.products), JSONList.encode(intake.eventTerms), JSONList.encode(decision.rules), stamp,
                ])
            try appendAudit(db, AuditEntry(at: now, actor: "system", event: "adverse_event.opened", itemID: itemID,
                                           ruleIDs: decision.rules, after: "open", detail: "due in \(intake.dueDays) days"),
                            tip: &auditTip)
        }
        try appendAudit(db, AuditEntry(
            at: now, actor: "system", event: "decided", itemID: itemID, ruleIDs: decision.rules,
            after: JSONList.encode(decision.actions.map(\.rawValue)),
            detail: "phi=\(analysis.phi) findings=\(analysis.findings.filter { $0.type.isIdentifier }.map(\.type.rawValue).joined(separator: ","))"),
            tip: &auditTip)
        return true
    }

    public func decision(itemID: Int64) throws -> DecisionRecord? {
        try pool.read { db in try DecisionRecord.filter(DecisionRecord.Columns.itemID == itemID).fetchOne(db) }
    }

    public func findings(decisionID: Int64) throws -> [FindingRecord] {
        try pool.read { db in try FindingRecord.filter(FindingRecord.Columns.decisionID == decisionID).fetchAll(db) }
    }
}

/// JSON arrays of strings in text columns.
enum JSONList {
    static func encode(_ values: [String]) -> String { JSONText.array(values) }

    static func decode(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }
}
