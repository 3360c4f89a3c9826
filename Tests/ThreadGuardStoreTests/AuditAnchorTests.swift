import Crypto
import Foundation
import GRDB
import Testing
import ThreadGuardCore
@testable import ThreadGuardStore

/// The audit log anchored outside the database: keyed hashes and signed checkpoints of its head. Each case is what
/// someone with write access to the database file (and the sqlite3 shell) but not the key can do.
@Suite("audit log anchored outside the database", .serialized)
struct AuditAnchorTests {
    static let dropTriggers = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
    /// The table rebuilt without its constraints, as a tamperer would to write NULLs.
    static let unconstrained = dropTriggers + " CREATE TABLE loose AS SELECT * FROM audit; DROP TABLE audit; ALTER TABLE loose RENAME TO audit;"

    /// A log of `count` rows written in `count` transactions (each leaves a checkpoint), and its folder.
    func log(_ count: Int) throws -> (ThreadGuardDatabase, String) {
        let db = try temporaryDatabase()
        for n in 0..<count {
            try db.appendAudit(AuditEntry(at: Date(), actor: "system", event: "hide", itemID: Int64(n), ruleIDs: ["phi.third-party"],
                                          before: "pending", after: "done"))
        }
        return (db, db.path)
    }

    /// The database opened again, as `audit verify` would in a new process.
    func reopen(_ path: String) throws -> ThreadGuardDatabase {
        let folder = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return try ThreadGuardDatabase(path: path, environment: anchorEnvironment(folder))
    }

    @Test("an untouched log verifies against its latest signed checkpoint")
    func intact() throws {
        let (db, path) = try log(60)
        let result = try reopen(path).verifyAudit()
        #expect(result.isIntact, "\(result.problem ?? "")")
        #expect(result.rows == 60)
        #expect(result.anchor?.hasPrefix("row 60 matches the signed checkpoint") == true)
        let lines = try String(contentsOfFile: db.anchor.checkpointPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 60, "one checkpoint per transaction")
    }

    @Test("deleting the last row, the last 50 rows or every row is caught and the missing rows named", arguments: [
        ("DELETE FROM audit WHERE id = 60;", "rows 60–60 are missing"),
        ("DELETE FROM audit WHERE id > 10;", "rows 11–60 are missing"),
        ("DELETE FROM audit;", "every row (1–60) is missing"),
    ])
    func truncated(_ sql: String, _ expected: String) throws {
        let (_, path) = try log(60)
        try sqlite3(path, Self.dropTriggers + sql)
        let problem = try #require(try reopen(path).verifyAudit().problem)
        #expect(problem.hasPrefix(expected), "\(problem)")
        #expect(problem.contains("truncated"))
    }

    @Test("a row rewritten with its hash recomputed (and every later row too) is caught without the key")
    func recomputed() throws {
        let (db, path) = try log(6)
        // Rewrite row 4 and recompute the chain from it with plain SHA-256, as the log's old format allowed.
        try sqlite3(path, Self.dropTriggers + " UPDATE audit SET actor = 'mallory' WHERE id = 4;")
        let rows = try db.auditLog()
        var previous = rows[2].hash
        for row in rows[3...] {
            let actor = row.id == 4 ? "mallory" : row.actor
            let digest = AuditChain.hash(AuditChain.content(id: row.id!, atMilliseconds: row.at, actor: actor, event: row.event, itemID: row.itemID,
                                                             ruleIDs: row.ruleIDs, before: row.before, after: row.after, detail: row.detail, prevHash: previous))
            try sqlite3(path, "UPDATE audit SET prevHash = '\(previous)', hash = '\(digest)' WHERE id = \(row.id!);")
            previous = digest
        }
        #expect(try reopen(path).verifyAudit().problem == "audit row 4: its content does not match its keyed hash (edited)")
        // Marked as unkeyed rows: the rule that no unkeyed row follows a keyed one catches it.
        try sqlite3(path, "UPDATE audit SET keyed = 0 WHERE id >= 4;")
        #expect(try reopen(path).verifyAudit().problem == "audit row 4 is not keyed although the rows before it are (rewritten without the key)")
        // Every row made unkeyed and recomputed from the start: the signed checkpoint no longer matches.
        try sqlite3(path, "UPDATE audit SET keyed = 0;")
        previous = AuditChain.genesis
        for row in try reopen(path).auditLog() {
            let digest = AuditChain.hash(AuditChain.content(id: row.id!, atMilliseconds: row.at, actor: row.actor, event: row.event, itemID: row.itemID,
                                                             ruleIDs: row.ruleIDs, before: row.before, after: row.after, detail: row.detail, prevHash: previous))
            try sqlite3(path, "UPDATE audit SET prevHash = '\(previous)', hash = '\(digest)' WHERE id = \(row.id!);")
            previous = digest
        }
        let problem = try #require(try reopen(path).verifyAudit().problem)
        #expect(problem.hasPrefix("audit row"), "\(problem)")
        #expect(problem.contains("does not match its signed checkpoint"))
    }

    @Test("no crash on a tampered table: missing values, wrong types, a dropped table", arguments: [
        ("UPDATE audit SET actor = NULL WHERE id = 2;", "audit row 2: its actor is missing (NULL) or not text (edited)"),
        ("UPDATE audit SET hash = NULL WHERE id = 3;", "audit row 3: its hash is missing (NULL) or not text (edited)"),
        ("UPDATE audit SET at = 'yesterday' WHERE id = 2;", "audit row 2: its time is missing or not a number (edited)"),
        ("UPDATE audit SET itemID = 'x' WHERE id = 2;", "audit row 2: its item id is not a number (edited)"),
        ("UPDATE audit SET detail = x'00ff' WHERE id = 2;", "audit row 2: a field is not text (edited)"),
        ("DROP TABLE audit;", "the audit table is missing (dropped)"),
    ])
    func tamperedTable(_ sql: String, _ expected: String) throws {
        let (_, path) = try log(4)
        try sqlite3(path, Self.unconstrained + sql)
        #expect(try reopen(path).verifyAudit().problem == expected)
    }

    @Test("an edited or forged checkpoint line, and a missing checkpoint file, are reported")
    func checkpointFile() throws {
        let (db, path) = try log(5)
        let file = db.anchor.checkpointPath
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // Claim the head is row 3 (to hide rows 4 and 5 later): the signature no longer holds.
        try text.replacingOccurrences(of: "\"seq\":5", with: "\"seq\":3").write(toFile: file, atomically: true, encoding: .utf8)
        let forged = try #require(try reopen(path).verifyAudit().problem)
        #expect(forged.contains("is not signed by this log's key"), "\(forged)")
        try FileManager.default.removeItem(atPath: file)
        let missing = try #require(try reopen(path).verifyAudit().problem)
        #expect(missing.hasPrefix("no checkpoint of this log was found"))
    }

    @Test("a head taken from the logs is checked: a log cut before it fails")
    func headFromLogs() throws {
        let (db, path) = try log(8)
        let head = try #require(try db.auditLog().last)
        #expect(try reopen(path).verifyAudit(expected: (8, head.hash)).isIntact)
        #expect(try reopen(path).verifyAudit(expected: (8, String(repeating: "a", count: 64))).problem == "audit row 8 does not match the head given (rewritten)")
    }

    @Test("a restore from a backup fails verification until a person acknowledges it; the log then goes on")
    func restore() throws {
        let (db, path) = try log(5)
        let backup = (path as NSString).deletingLastPathComponent + "/backup.sqlite"
        try db.backup(to: backup)
        for n in 0..<3 { try db.appendAudit(AuditEntry(at: Date(), actor: "system", event: "hide", itemID: Int64(100 + n))) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: path)
        let restored = try reopen(path)
        #expect(try restored.verifyAudit().problem?.hasPrefix("rows 6–8 are missing") == true)
        let acknowledged = try #require(try restored.acknowledgeRestore(actor: "cli:dana"))
        #expect(acknowledged.head == 5 && acknowledged.lost == 8)
        try restored.appendAudit(AuditEntry(at: Date(), actor: "system", event: "hide", itemID: 200))
        let result = try reopen(path).verifyAudit()
        #expect(result.isIntact, "\(result.problem ?? "")")
        #expect(result.acknowledged.first?.hasPrefix("rows 6–8 lost in a restore acknowledged by cli:dana") == true)
    }

    @Test("a process with another audit key is refused before it writes; keys inside the database folder are refused")
    func keys() throws {
        let (_, path) = try log(2)
        let other = AuditAnchor.keyVariable
        let wrongKey = String(repeating: "ab", count: 32)
        #expect(throws: StoreError.self) { try ThreadGuardDatabase(path: path, environment: [other: wrongKey, AuditAnchor.folderVariable: "/tmp/tg-elsewhere"]) }
        let folder = (path as NSString).deletingLastPathComponent
        let inside = AuditSettings(keyFile: folder + "/audit.key")
        do {
            _ = try ThreadGuardDatabase(path: path, audit: inside)
            Issue.record("a key file in the database's folder was accepted")
        } catch let error as StoreError {
            #expect(error.description.contains("inside the database's folder"))
        }
        #expect(throws: StoreError.self) { try ThreadGuardDatabase(path: path, environment: [other: "not-a-key"]) }
    }

    @Test("the database, its WAL and shared-memory files, the key and the checkpoints are readable by their owner only")
    func permissions() throws {
        let (db, path) = try log(1)
        for file in [path, path + "-wal", path + "-shm", db.anchor.keySource, db.anchor.checkpointPath] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0, "\(file) is \(String(mode, radix: 8))")
        }
        let anchorFolder = (db.anchor.keySource as NSString).deletingLastPathComponent
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: anchorFolder)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
    }
}
