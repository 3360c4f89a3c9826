import Foundation
import PostgresNIO
import ThreadGuardCore

extension PostgresStore {
    /// Retention on PostgreSQL, as the SQLite store's `purge`: whole threads older than `cutoff`, never one holding an
    /// open adverse-event intake or an item open in the review queue; in batches, one transaction each; audited.
    public func purge(before cutoff: Date, actor: String, dryRun: Bool, batchSize: Int, at now: Date) throws -> PurgeReport {
        @Sendable func threadHas(_ condition: String) -> String {
            "EXISTS (SELECT 1 FROM item n WHERE n.platform = i.platform AND n.threadRootID = i.threadRootID AND \(condition))"
        }
        let openIntake = "EXISTS (SELECT 1 FROM adverse_event a WHERE a.itemID = n.id AND a.status = 'open')"
        let openReview = "EXISTS (SELECT 1 FROM review r WHERE r.itemID = n.id AND r.status IN ('open', 'escalated'))"
        // $1 is the cutoff in every statement below.
        let old = "FROM item i WHERE i.createdAt < $1 AND NOT \(threadHas("n.createdAt >= $1"))"
        let keep = "AND NOT \(threadHas("(\(openIntake) OR \(openReview))"))"
        @Sendable func query(_ sql: String, limit: Int? = nil) -> PostgresQuery {
            var bindings = PostgresBindings()
            bindings.append(cutoff)
            if let limit { bindings.append(Int64(limit)) }
            return PostgresQuery(unsafeSQL: sql, binds: bindings)
        }
        return try wait { store in
            var report = PurgeReport(cutoff: cutoff)
            func count(_ sql: String) async throws -> Int { Int(try await store.rows(query(sql)).first?.value("n", as: Int64.self) ?? 0) }
            report.keptForOpenIntake = try await count("SELECT count(*) AS n \(old) AND \(threadHas(openIntake))")
            report.keptForOpenReview = try await count("SELECT count(*) AS n \(old) AND \(threadHas(openReview)) AND NOT \(threadHas(openIntake))")
            if dryRun {
                report.removedItems = try await count("SELECT count(*) AS n \(old) \(keep)")
                report.removedIntakes = try await count("SELECT count(*) AS n FROM adverse_event WHERE itemID IN (SELECT i.id \(old) \(keep))")
                return report
            }
            while true {
                let (items, intakes) = try await store.transaction { connection -> (Int, Int) in
                    let ids = try await store.rows(query("SELECT i.id \(old) \(keep) ORDER BY i.id LIMIT $2", limit: max(1, batchSize)), on: connection)
                        .compactMap { try $0.value("id", as: Int64.self) }
                    guard !ids.isEmpty else { return (0, 0) }
                    let intakes = try await store.rows("DELETE FROM adverse_event WHERE itemID = ANY(\(ids)) RETURNING id", on: connection).count
                    try await store.execute("DELETE FROM undo WHERE itemID = ANY(\(ids))", on: connection)
                    let groups = Set(try await store.rows("SELECT DISTINCT groupKey FROM review WHERE itemID = ANY(\(ids)) AND groupKey IS NOT NULL", on: connection)
                        .compactMap { try $0.value("groupkey", as: String.self) })
                    // Decisions, findings, outbox actions and reviews go with their item (ON DELETE CASCADE).
                    let removed = try await store.rows("DELETE FROM item WHERE id = ANY(\(ids)) RETURNING id", on: connection).count
                    // A group whose lead went keeps a lead in every status.
                    for sql in ReviewGroups.repairedSQL(groups, dialect: .postgres) { try await store.execute(PostgresQuery(unsafeSQL: sql), on: connection) }
                    return (removed, intakes)
                }
                if items == 0 { break }
                report.removedItems += items
                report.removedIntakes += intakes
            }
            let finished = report
            return try await store.withAudit { connection in
                var report = finished
                report.removedAlerts = try await store.rows("DELETE FROM alert WHERE status = 'sent' AND updatedAt < \(cutoff) RETURNING id", on: connection).count
                report.removedSessions = try await store.rows("DELETE FROM session WHERE expiresAt < \(now) RETURNING tokenHash", on: connection).count
                return (report, [AuditEntry(
                    at: now, actor: actor, event: "retention.purge", itemID: nil,
                    detail: "removed \(report.removedItems) items created before \(ISO8601DateFormatter().string(from: cutoff)) in threads with nothing newer "
                        + "(and \(report.removedIntakes) reported or closed intakes, \(report.removedAlerts) sent alerts); kept \(report.keptForOpenIntake) "
                        + "in threads with an open adverse-event intake and \(report.keptForOpenReview) in threads open in the review queue")])
            }
        }
    }

    /// After the database was restored from a dump: the rows after the restored head, up to this machine's last
    /// checkpoint, are acknowledged as lost by `actor` (see the SQLite store's).
    public func acknowledgeRestore(actor: String) throws -> (head: Int64, lost: Int64)? {
        let last = try wait { try await $0.rows("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").first }
        let seq = try last?.value("id", as: Int64.self) ?? 0
        let hash = try last?.value("hash", as: String.self) ?? AuditChain.genesis
        guard let latest = try anchor.recordRestore(db: databaseID, seq: seq, hash: hash, actor: actor) else { return nil }
        try appendAudit(AuditEntry(at: Date(), actor: actor, event: "audit.restore_acknowledged", itemID: nil,
                                   detail: "rows \(seq + 1)-\(latest) lost in a restore"))
        return (seq, latest)
    }
}
