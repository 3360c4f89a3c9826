import Foundation
import GRDB
import Logging
import ThreadGuardCore

/// What `audit verify` found.
public struct AuditVerification: Sendable, Equatable {
    public var rows: Int
    /// The first problem, naming the rows; nil when the chain is intact and agrees with every checkpoint.
    public var problem: String?
    /// What anchored the check ("row 1234 matches the signed checkpoint of …"), when there was a checkpoint.
    public var anchor: String?
    /// Rows lost in restores a person acknowledged.
    public var acknowledged: [String] = []
    public var isIntact: Bool { problem == nil }
}

extension ThreadGuardDatabase {
    /// The logger audit checkpoints are written to (notice level), beside the checkpoint file. The command line sets
    /// it from `--log-level`; by default it follows `THREADGUARD_LOG_LEVEL` (warning: not shown).
    nonisolated(unsafe) public static var auditLogger: Logger = {
        var logger = Logger(label: "threadguard.audit", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = ProcessInfo.processInfo.environment["THREADGUARD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    public func appendAudit(_ entry: AuditEntry) throws {
        try pool.write { db in try appendAudit(db, entry) }
    }

    func appendAudit(_ db: Database, _ entry: AuditEntry) throws {
        var tip: AuditChain.Tip?
        try appendAudit(db, entry, tip: &tip)
    }

    /// Appends in the caller's transaction; the head is checkpointed once the transaction commits.
    func appendAudit(_ db: Database, _ entry: AuditEntry, tip: inout AuditChain.Tip?) throws {
        try AuditChain.append(db, entry, anchor: anchor, tip: &tip)
        guard checkpointPending.schedule() else { return }
        db.afterNextTransaction(onCommit: { [self] db in
            checkpointPending.clear()
            writeCheckpoint(db)
        }, onRollback: { [self] _ in checkpointPending.clear() })
    }

    /// Signs and records the log's head (after a commit, on the writer).
    func writeCheckpoint(_ db: Database) {
        do {
            guard let head = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1") else { return }
            try anchor.record(anchor.signed(kind: "head", db: databaseID, seq: head["id"], hash: head["hash"], at: Date()), logger: Self.auditLogger)
        } catch {
            Self.auditLogger.error("audit checkpoint could not be written; `audit verify` will report the rows after the last one",
                                   metadata: ["audit.checkpoints": "\(anchor.checkpointPath)"])
        }
    }

    /// Records that the database was restored from a backup: the rows after the current head, up to the last
    /// checkpoint, are acknowledged as lost by `actor`, and a new checkpoint anchors the restored head.
    public func acknowledgeRestore(actor: String) throws -> (head: Int64, lost: Int64)? {
        let head = try pool.read { db in try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1") }
        let seq: Int64 = head?["id"] ?? 0
        let hash: String = head?["hash"] ?? AuditChain.genesis
        guard let latest = try anchor.recordRestore(db: databaseID, seq: seq, hash: hash, actor: actor) else { return nil }
        try pool.write { db in
            try appendAudit(db, AuditEntry(at: Date(), actor: actor, event: "audit.restore_acknowledged", itemID: nil,
                                           detail: "rows \(seq + 1)-\(latest) lost in a restore"))
        }
        return (seq, latest)
    }

    /// Walks the whole log, then holds it against the signed checkpoints (and `expected`, a head taken from the logs
    /// as `SEQ:HASH`); reports the first problem. Never crashes on a tampered table: missing or mistyped values,
    /// a dropped table and unreadable files are problems it names.
    ///
    /// `asBackup`: this file is a backup of the log the checkpoints describe; checkpoints of rows written after it was
    /// taken are expected (and noted), every earlier one must still match.
    public func verifyAudit(expected: (seq: Int64, hash: String)? = nil, asBackup: Bool = false) throws -> AuditVerification {
        var verification: AuditVerification
        var lastID: Int64 = 0
        do {
            (verification, lastID) = try pool.read { db in try walkChain(db) }
        } catch let error as DatabaseError {
            let missing = error.resultCode == .SQLITE_ERROR && (error.message ?? "").contains("no such table")
            return AuditVerification(rows: 0, problem: missing ? "the audit table is missing (dropped)"
                                                                : "the audit log could not be read (SQLite \(error.resultCode.rawValue): \(error.resultCode))")
        }
        guard verification.problem == nil else { return verification }
        if let expected {
            guard expected.seq <= lastID else {
                verification.problem = "rows \(lastID + 1)–\(expected.seq) are missing: the head given (row \(expected.seq)) is past the log's last row \(lastID)"
                return verification
            }
            if try storedHash(expected.seq) != expected.hash {
                verification.problem = "audit row \(expected.seq) does not match the head given (rewritten)"
                return verification
            }
        }
        return try holdAgainstCheckpoints(verification, lastID: lastID, asBackup: asBackup)
    }

    private func storedHash(_ id: Int64) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [id]) }
    }

    /// Checks ids, links, keys and hashes row by row (after checking each value has the type it must have: SQLite
    /// would store text in a number's column).
    private func walkChain(_ db: Database) throws -> (AuditVerification, Int64) {
        var walker = AuditChainWalker(anchor: anchor)
        let rows = try Row.fetchCursor(db, sql: "SELECT id, at, actor, event, itemID, ruleIDs, before, after, detail, prevHash, hash, keyed FROM audit ORDER BY id")
        while let row = try rows.next() {
            func broken(_ text: String) -> (AuditVerification, Int64) { (AuditVerification(rows: walker.count + 1, problem: text), walker.previousID) }
            guard let id = Int64.fromDatabaseValue(row["id"]) else { return broken("audit row after row \(walker.previousID): its id is not a number") }
            var values: [String: String] = [:]
            for name in ["actor", "event", "ruleIDs", "prevHash", "hash"] {
                guard let value = String.fromDatabaseValue(row[name]) else { return broken("audit row \(id): its \(name) is missing (NULL) or not text (edited)") }
                values[name] = value
            }
            guard let ms = Int64.fromDatabaseValue(row["at"]) else { return broken("audit row \(id): its time is missing or not a number (edited)") }
            let itemID: Int64? = row["itemID"] == DatabaseValue.null ? nil : Int64.fromDatabaseValue(row["itemID"])
            if row["itemID"] != DatabaseValue.null, itemID == nil { return broken("audit row \(id): its item id is not a number (edited)") }
            let optional = ["before", "after", "detail"].map { name -> String?? in
                row[name] == DatabaseValue.null ? .some(nil) : String.fromDatabaseValue(row[name]).map { .some($0) }
            }
            guard optional.allSatisfy({ $0 != nil }) else { return broken("audit row \(id): a field is not text (edited)") }
            if let problem = walker.check(id: id, atMilliseconds: ms, actor: values["actor"]!, event: values["event"]!, itemID: itemID,
                                          ruleIDs: values["ruleIDs"]!, before: optional[0]!, after: optional[1]!, detail: optional[2]!,
                                          prevHash: values["prevHash"]!, hash: values["hash"]!, keyed: (Int64.fromDatabaseValue(row["keyed"]) ?? 0) == 1) {
                return (AuditVerification(rows: walker.count, problem: problem), walker.previousID)
            }
        }
        return (AuditVerification(rows: walker.count, problem: nil), walker.previousID)
    }

    private func holdAgainstCheckpoints(_ verified: AuditVerification, lastID: Int64, asBackup: Bool) throws -> AuditVerification {
        try AuditChainWalker.hold(verified, lastID: lastID, asBackup: asBackup, anchor: anchor, lines: anchor.checkpoints(db: databaseID)) { wanted in
            try pool.read { db in
                var hashes: [Int64: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, hash FROM audit WHERE id IN (\(wanted.map(String.init).joined(separator: ",")))") {
                    if let id = Int64.fromDatabaseValue(row["id"]), let hash = String.fromDatabaseValue(row["hash"]) { hashes[id] = hash }
                }
                return hashes
            }
        }
    }

    /// Entries at or after `since`, oldest first, for export.
    public func auditEntries(since: Date) throws -> [AuditRecord] {
        try pool.read { db in
            try AuditRecord.fetchAll(db, sql: "SELECT * FROM audit WHERE at >= ? ORDER BY id", arguments: [AuditChain.milliseconds(since)])
        }
    }

    public func auditLog() throws -> [AuditRecord] {
        try pool.read { db in try AuditRecord.order(Column("id")).fetchAll(db) }
    }
}

/// Whether a checkpoint is already scheduled for the transaction under way (one per transaction, however many rows).
final class CheckpointPending: @unchecked Sendable {
    private let lock = NSLock()
    private var scheduled = false

    /// True when this call scheduled it.
    func schedule() -> Bool { lock.withLock { defer { scheduled = true }; return !scheduled } }
    func clear() { lock.withLock { scheduled = false } }
}
