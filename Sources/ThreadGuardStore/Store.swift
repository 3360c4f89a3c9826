import Foundation
import ThreadGuardCore

/// The store behind polling, deciding, the outbox, alerts, metrics and the review page: every named write of the
/// façade, each one transaction. Two implementations: `ThreadGuardDatabase` (one SQLite file, the default, one
/// machine) and `PostgresStore` (one PostgreSQL database shared by pollers and `serve` instances on many machines).
/// The workflow and the review page see only this protocol; `threadguard.yaml`'s `database:` chooses.
///
/// The calls are synchronous, as GRDB's are: the workflow's decider runs on a thread of its own and the review
/// page's handlers already wait on SQLite the same way. The PostgreSQL store waits on its own threads, never on
/// Swift's cooperative ones (`PostgresBridge`).
public protocol Store: PollStore {
    /// This database's own random id (audit checkpoints name it).
    var databaseID: String { get }
    /// Where it is, for messages (a file path, or a postgres:// address without its password).
    var location: String { get }

    // MARK: Sources and items
    func registerSource(name: String, connector: String, account: String) throws
    func sourceRecords() throws -> [SourceRecord]
    func recordPollOutcome(source: String, error: String?, kind: String?, needsToken: Bool, apiBudget: String?, at now: Date) throws
    func cursor(source: String, stream: String) throws -> String?
    func cursors(source: String) throws -> [CursorRecord]
    func storePage(source: String, stream: String, items: [Item], cursor: String?, at now: Date) throws -> [Int64]
    func item(id: Int64) throws -> ItemRecord?
    func item(platform: Platform, platformID: String) throws -> ItemRecord?
    func allItems() throws -> [ItemRecord]
    /// Items by someone other than the brand with no decision yet, oldest first, after item `after`; only from
    /// `sources` when given (a poller sharing the store decides what its own leases brought in).
    func itemsAwaitingDecision(after: Int64, limit: Int, sources: [String]?) throws -> [ItemRecord]
    func ancestors(of record: ItemRecord) throws -> [ItemRecord]

    // MARK: Decisions
    /// How many batches of decisions may be recorded at once: SQLite has one writer; PostgreSQL records batches side by
    /// side, taking turns only for their audit rows.
    var decisionBatchesAtOnce: Int { get }
    func recordDecisions(_ batch: [DecisionInput], at now: Date) throws -> Int
    func decision(itemID: Int64) throws -> DecisionRecord?
    func findings(decisionID: Int64) throws -> [FindingRecord]
    func adverseEvents(status: String?) throws -> [AdverseEventRecord]

    // MARK: Outbox
    func actions(status: ActionStatus, limit: Int) throws -> [ActionRecord]
    func pendingActions(after afterID: Int64, limit: Int) throws -> [ActionRecord]
    func publicReplyThreads() throws -> Set<String>
    func action(id: Int64) throws -> ActionRecord?
    func actions(itemID: Int64) throws -> [ActionRecord]
    func allActions() throws -> [ActionRecord]
    func claimAction(id: Int64, owner: String, at now: Date) throws -> Bool
    func takeOverAction(id: Int64, from previousOwner: String?, owner: String, at now: Date) throws -> Bool
    func returnToDraft(id: Int64, owner: String, reason: String, actor: String, at now: Date) throws
    func completeAction(id: Int64, platformRef: String?, actor: String, owner: String?, detail: String?, at now: Date) throws -> Bool
    func failAction(id: Int64, reason: String, giveUp: Bool, actor: String, owner: String?, at now: Date) throws -> Bool
    func brandReplies(to record: ItemRecord) throws -> [ItemRecord]
    func threadTexts(of record: ItemRecord, limit: Int) throws -> [ThreadText]

    // MARK: Audit
    func appendAudit(_ entry: AuditEntry) throws
    func verifyAudit(expected: (seq: Int64, hash: String)?, asBackup: Bool) throws -> AuditVerification
    func auditLog() throws -> [AuditRecord]
    func auditLog(itemID: Int64) throws -> [AuditRecord]
    func auditEntries(since: Date) throws -> [AuditRecord]
    /// After a restore from a backup or dump: the audit rows lost since are acknowledged, signed (nil: none were).
    func acknowledgeRestore(actor: String) throws -> (head: Int64, lost: Int64)?
    /// Retention: whole threads older than `cutoff` (see `ThreadGuardDatabase.purge`).
    func purge(before cutoff: Date, actor: String, dryRun: Bool, batchSize: Int, at now: Date) throws -> PurgeReport

    // MARK: Alerts, metrics, operations
    func enqueueAlerts(_ alerts: [NewAlert], at now: Date) throws -> Int
    func alertedSubjects(channel: String) throws -> Set<String>
    func claimAlerts(owner: String, limit: Int, staleAfter: TimeInterval, at now: Date) throws -> [AlertRecord]
    func finishAlert(id: Int64, owner: String, error: String?, maxAttempts: Int, at now: Date) throws
    func alerts() throws -> [AlertRecord]
    func addMetrics(_ deltas: [StoredMetric]) throws
    func storedMetrics() throws -> [StoredMetric]
    func operationsSnapshot() throws -> OperationsSnapshot
    func shadowOutcomes(rule: String?, limit: Int) throws -> [ShadowOutcome]
    func counts() throws -> (items: Int, auditRows: Int64)
    /// Whether the database answers a read (for `/healthz`).
    func answers() -> Bool

    // MARK: Review
    func queue(_ filter: QueueFilter, now: Date) throws -> QueuePage
    func reviewDetail(itemID: Int64) throws -> ReviewDetail
    func review(itemID: Int64, action: ReviewAction, actor: String, text: String?, assignee: String?, at now: Date) throws -> [Int64]
    func undoLast(actor: String, at now: Date) throws -> (itemID: Int64, action: String)
    func lastUndoable(actor: String) throws -> UndoRecord?
    /// Forgets a person's last action for undo (after acting on many items at once, undoing only the last would mislead).
    func forgetUndo(actor: String) throws
    /// `finding`: the one finding shown (nil: the whole item, as the CLI shows it).
    func recordReveal(itemID: Int64, finding: FindingRecord?, actor: String, at now: Date) throws
    /// Items past their response target: still waiting for a person now, and first acted on late since `since`.
    func responseBreaches(now: Date, since: Date) throws -> ResponseBreaches

    // MARK: Users and sessions
    func addUser(name: String, passwordHash: String, role: String, actor: String, at now: Date) throws
    func removeUser(name: String, actor: String, at now: Date) throws
    func resetPassword(name: String, passwordHash: String, actor: String, at now: Date) throws
    func user(named name: String) throws -> UserRecord?
    func users() throws -> [UserRecord]
    func createSession(_ session: SessionRecord) throws
    func session(tokenHash: String, now: Date) throws -> (SessionRecord, UserRecord)?
    func deleteSession(tokenHash: String) throws

    // MARK: Dashboard figures
    func flagsPerDay(days: Int, now: Date) throws -> [DayCount]
    func queueDepth(days: Int, now: Date) throws -> [DayCount]
    func timeToFirstAction(days: Int, now: Date) throws -> [DayCount]
    func handling(days: Int, now: Date) throws -> [DayCount]
}

/// Items past their response target, per target (crisis, adverse_event, other).
public struct ResponseBreaches: Sendable, Equatable {
    /// Nobody has acted and the target has passed.
    public var waiting: [String: Int] = [:]
    /// A person acted, after the target.
    public var late: [String: Int] = [:]

    public init() {}
}

/// One figure of a dashboard series: a day, what is counted, how many.
public struct DayCount: Sendable, Equatable {
    public var day: String
    public var key: String
    public var count: Int

    public init(day: String, key: String, count: Int) {
        self.day = day
        self.key = key
        self.count = count
    }
}

/// The calls as the workflow and the pages make them: now, the usual limits, no owner.
extension Store {
    public func recordPollOutcome(source: String, error: String?, kind: String? = nil, needsToken: Bool, apiBudget: String? = nil) throws {
        try recordPollOutcome(source: source, error: error, kind: kind, needsToken: needsToken, apiBudget: apiBudget, at: Date())
    }
    @discardableResult
    public func storePage(source: String, stream: String, items: [Item], cursor: String?) throws -> [Int64] {
        try storePage(source: source, stream: stream, items: items, cursor: cursor, at: Date())
    }
    public func itemsAwaitingDecision(after: Int64 = 0, limit: Int = 1000) throws -> [ItemRecord] {
        try itemsAwaitingDecision(after: after, limit: limit, sources: nil)
    }
    @discardableResult
    public func recordDecisions(_ batch: [DecisionInput]) throws -> Int { try recordDecisions(batch, at: Date()) }
    public func adverseEvents() throws -> [AdverseEventRecord] { try adverseEvents(status: nil) }
    public func actions(status: ActionStatus) throws -> [ActionRecord] { try actions(status: status, limit: 500) }
    public func pendingActions(limit: Int = 500) throws -> [ActionRecord] { try actions(status: .pending, limit: limit) }
    public func claimAction(id: Int64, owner: String) throws -> Bool { try claimAction(id: id, owner: owner, at: Date()) }
    public func takeOverAction(id: Int64, from previousOwner: String?, owner: String) throws -> Bool {
        try takeOverAction(id: id, from: previousOwner, owner: owner, at: Date())
    }
    public func returnToDraft(id: Int64, owner: String, reason: String, actor: String) throws {
        try returnToDraft(id: id, owner: owner, reason: reason, actor: actor, at: Date())
    }
    @discardableResult
    public func completeAction(id: Int64, platformRef: String?, actor: String, owner: String? = nil, detail: String? = nil) throws -> Bool {
        try completeAction(id: id, platformRef: platformRef, actor: actor, owner: owner, detail: detail, at: Date())
    }
    @discardableResult
    public func failAction(id: Int64, reason: String, giveUp: Bool, actor: String, owner: String? = nil) throws -> Bool {
        try failAction(id: id, reason: reason, giveUp: giveUp, actor: actor, owner: owner, at: Date())
    }
    public func threadTexts(of record: ItemRecord) throws -> [ThreadText] { try threadTexts(of: record, limit: 2000) }
    public func verifyAudit() throws -> AuditVerification { try verifyAudit(expected: nil, asBackup: false) }
    public func purge(before cutoff: Date, actor: String, dryRun: Bool = false) throws -> PurgeReport {
        try purge(before: cutoff, actor: actor, dryRun: dryRun, batchSize: 500, at: Date())
    }
    @discardableResult
    public func enqueueAlerts(_ alerts: [NewAlert]) throws -> Int { try enqueueAlerts(alerts, at: Date()) }
    public func claimAlerts(owner: String, limit: Int = 100) throws -> [AlertRecord] {
        try claimAlerts(owner: owner, limit: limit, staleAfter: 120, at: Date())
    }
    public func finishAlert(id: Int64, owner: String, error: String?, maxAttempts: Int) throws {
        try finishAlert(id: id, owner: owner, error: error, maxAttempts: maxAttempts, at: Date())
    }
    public func shadowOutcomes(rule: String? = nil) throws -> [ShadowOutcome] { try shadowOutcomes(rule: rule, limit: 200) }
    public func queue(_ filter: QueueFilter) throws -> QueuePage { try queue(filter, now: Date()) }
    @discardableResult
    public func review(itemID: Int64, action: ReviewAction, actor: String, text: String? = nil, assignee: String? = nil) throws -> [Int64] {
        try review(itemID: itemID, action: action, actor: actor, text: text, assignee: assignee, at: Date())
    }
    @discardableResult
    public func undoLast(actor: String) throws -> (itemID: Int64, action: String) { try undoLast(actor: actor, at: Date()) }
    public func recordReveal(itemID: Int64, finding: FindingRecord? = nil, actor: String) throws {
        try recordReveal(itemID: itemID, finding: finding, actor: actor, at: Date())
    }
    public func addUser(name: String, passwordHash: String, role: String, actor: String) throws {
        try addUser(name: name, passwordHash: passwordHash, role: role, actor: actor, at: Date())
    }
    public func session(tokenHash: String) throws -> (SessionRecord, UserRecord)? { try session(tokenHash: tokenHash, now: Date()) }
    public func flagsPerDay(days: Int) throws -> [DayCount] { try flagsPerDay(days: days, now: Date()) }
    public func queueDepth(days: Int) throws -> [DayCount] { try queueDepth(days: days, now: Date()) }
    public func timeToFirstAction(days: Int) throws -> [DayCount] { try timeToFirstAction(days: days, now: Date()) }
    public func handling(days: Int) throws -> [DayCount] { try handling(days: days, now: Date()) }
}

extension Store {
    public func removeUser(name: String, actor: String) throws { try removeUser(name: name, actor: actor, at: Date()) }
    public func resetPassword(name: String, passwordHash: String, actor: String) throws {
        try resetPassword(name: name, passwordHash: passwordHash, actor: actor, at: Date())
    }
    public func shadowOutcomes(limit: Int) throws -> [ShadowOutcome] { try shadowOutcomes(rule: nil, limit: limit) }
}
