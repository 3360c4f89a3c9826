import Foundation
import PostgresNIO
import ThreadGuardCore

/// The audit chain on PostgreSQL: one chain however many processes and machines write it. Every transaction that
/// appends rows first takes one transaction-scoped advisory lock, so appends take turns (each reads the tip the one
/// before it committed), and no transaction that appends waits for a row lock while holding it against another that
/// appends. After the commit the new head is signed into this machine's checkpoint file, as the SQLite store does.
extension PostgresStore {
    static let auditLock = "SELECT pg_advisory_xact_lock(hashtext('threadguard.audit'))"

    /// Runs `body` in one transaction that may append audit entries (those it returns, in order, after its writes).
    ///
    /// `lockLast`: take the audit lock only once `body` is done, so that batches of decisions insert their rows side by
    /// side and take turns only for their audit rows. Only for a body that inserts new rows and locks nothing else
    /// (its foreign keys take KEY SHARE locks, which no transaction holding the audit lock waits for): a transaction
    /// holding the audit lock then never waits for one waiting for it.
    func withAudit<T: Sendable>(lockLast: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> (T, [AuditEntry])) async throws -> T {
        let (value, head) = try await transaction { connection -> (T, AuditChain.Tip?) in
            if !lockLast { try await execute(PostgresQuery(unsafeSQL: Self.auditLock), on: connection) }
            let (value, entries) = try await body(connection)
            if lockLast { try await execute(PostgresQuery(unsafeSQL: Self.auditLock), on: connection) }
            return (value, try await appendAudit(entries, on: connection))
        }
        if let head { writeCheckpoint(head) }
        return value
    }

    /// Appends `entries` after the chain's tip; the new tip (nil when there was nothing to append).
    func appendAudit(_ entries: [AuditEntry], on connection: PostgresConnection) async throws -> AuditChain.Tip? {
        guard !entries.isEmpty else { return nil }
        let last = try await rows("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", on: connection).first
        var tip = AuditChain.Tip(id: try last?.value("id", as: Int64.self) ?? 0, hash: try last?.value("hash", as: String.self) ?? AuditChain.genesis)
        var rows: [[CopyValue]] = []
        for entry in entries {
            let id = tip.id + 1
            let ms = AuditChain.milliseconds(entry.at)
            let rules = JSONList.encode(entry.ruleIDs)
            let digest = anchor.rowHash(AuditChain.content(id: id, atMilliseconds: ms, actor: entry.actor, event: entry.event, itemID: entry.itemID,
                                                           ruleIDs: rules, before: entry.before, after: entry.after, detail: entry.detail,
                                                           prevHash: tip.hash))
            rows.append([.int(id), .int(ms), .text(entry.actor), .text(entry.event), .of(entry.itemID), .text(rules), .of(entry.before),
                         .of(entry.after), .of(entry.detail), .text(tip.hash), .text(digest), .int(1)])
            tip = AuditChain.Tip(id: id, hash: digest)
        }
        _ = try await insertRows(connection, into: "audit", columns: "id, at, actor, event, itemID, ruleIDs, before, after, detail, prevHash, hash, keyed", rows)
        return tip
    }

    /// Signs and records the log's head after a commit.
    func writeCheckpoint(_ head: AuditChain.Tip) {
        do {
            try anchor.record(anchor.signed(kind: "head", db: databaseID, seq: head.id, hash: head.hash, at: Date()), logger: ThreadGuardDatabase.auditLogger)
        } catch {
            ThreadGuardDatabase.auditLogger.error("audit checkpoint could not be written; `audit verify` will report the rows after the last one",
                                                  metadata: ["audit.checkpoints": "\(anchor.checkpointPath)"])
        }
    }

    public func appendAudit(_ entry: AuditEntry) throws {
        try wait { store in try await store.withAudit { _ in ((), [entry]) } }
    }

    /// Walks the whole chain, then holds it against this machine's signed checkpoints (see the SQLite store's).
    public func verifyAudit(expected: (seq: Int64, hash: String)?, asBackup: Bool) throws -> AuditVerification {
        let expectedSeq = expected?.seq, expectedHash = expected?.hash
        return try wait { store in
            var walker = AuditChainWalker(anchor: store.anchor)
            let rows = try await store.client.query("""
                SELECT id, at, actor, event, itemID, ruleIDs, before, after, detail, prevHash, hash, keyed FROM audit ORDER BY id
                """, logger: store.logger)
            for try await (id, at, actor, event, itemID, ruleIDs, before, after, detail, prevHash, hash, keyed) in rows.decode(
                (Int64, Int64, String, String, Int64?, String, String?, String?, String?, String, String, Int32).self) {
                if let problem = walker.check(id: id, atMilliseconds: at, actor: actor, event: event, itemID: itemID, ruleIDs: ruleIDs, before: before,
                                              after: after, detail: detail, prevHash: prevHash, hash: hash, keyed: keyed == 1) {
                    return AuditVerification(rows: walker.count, problem: problem)
                }
            }
            var verification = AuditVerification(rows: walker.count, problem: nil)
            let lastID = walker.previousID
            if let expectedSeq, let expectedHash {
                guard expectedSeq <= lastID else {
                    verification.problem = "rows \(lastID + 1)–\(expectedSeq) are missing: the head given (row \(expectedSeq)) is past the log's last row \(lastID)"
                    return verification
                }
                if try await store.hashes([expectedSeq])[expectedSeq] != expectedHash {
                    verification.problem = "audit row \(expectedSeq) does not match the head given (rewritten)"
                    return verification
                }
            }
            // The checkpoint file is read once; the rows it names are read before the (synchronous) check.
            let lines = store.anchor.checkpoints(db: store.databaseID)
            let hashes = try await store.hashes(Set(lines?.compactMap { $0.checkpoint?.seq } ?? []))
            return try AuditChainWalker.hold(verification, lastID: lastID, asBackup: asBackup, anchor: store.anchor, lines: lines) { wanted in
                hashes.filter { wanted.contains($0.key) }
            }
        }
    }

    func hashes(_ ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        var found: [Int64: String] = [:]
        for try await (id, hash) in try await client.query("SELECT id, hash FROM audit WHERE id = ANY(\(Array(ids)))", logger: logger).decode((Int64, String).self) {
            found[id] = hash
        }
        return found
    }

    public func auditLog() throws -> [AuditRecord] {
        try wait { try await $0.fetch(AuditRecord.self, "SELECT * FROM audit ORDER BY id") }
    }

    public func auditLog(itemID: Int64) throws -> [AuditRecord] {
        try wait { try await $0.fetch(AuditRecord.self, "SELECT * FROM audit WHERE itemID = \(itemID) ORDER BY id") }
    }

    public func auditEntries(since: Date) throws -> [AuditRecord] {
        try wait { try await $0.fetch(AuditRecord.self, "SELECT * FROM audit WHERE at >= \(AuditChain.milliseconds(since)) ORDER BY id") }
    }
}

