import Foundation
import GRDB
import ThreadGuardCore

/// What a purge removed and kept.
public struct PurgeReport: Sendable, Equatable {
    public var cutoff: Date
    public var removedItems = 0
    /// Reported or closed intakes removed with their items (an open one is never removed).
    public var removedIntakes = 0
    /// Old items kept because their thread holds an open adverse-event intake.
    public var keptForOpenIntake = 0
    /// Old items kept because their thread holds an item still open in the review queue.
    public var keptForOpenReview = 0
    public var removedAlerts = 0
    public var removedSessions = 0

    public init(cutoff: Date) { self.cutoff = cutoff }
}

extension ThreadGuardDatabase {
    /// Retention: removes the threads whose every item was created before `cutoff`, with their decisions, findings,
    /// actions, reviews and closed intakes; never a thread holding an open adverse-event intake or an item still open
    /// in the review queue. The audit log is append-only and keeps its rows (they carry ids, never text), so its
    /// chain stays verifiable; the purge itself is one more audit entry saying what it removed. Works in batches (one
    /// transaction each) so that a poll running meanwhile waits milliseconds, not minutes. `dryRun` counts only.
    public func purge(before cutoff: Date, actor: String, dryRun: Bool = false, batchSize: Int = 500, at now: Date = Date()) throws -> PurgeReport {
        var report = PurgeReport(cutoff: cutoff)
        // A thread goes whole or not at all: an item is removed when it and everything in its thread are older than the
        // cutoff, and nothing in the thread has an open intake or an open review.
        func threadHas(_ condition: String) -> String {
            "EXISTS (SELECT 1 FROM item n WHERE n.platform = i.platform AND n.threadRootID = i.threadRootID AND \(condition))"
        }
        let openIntake = "EXISTS (SELECT 1 FROM adverse_event a WHERE a.itemID = n.id AND a.status = 'open')"
        let openReview = "EXISTS (SELECT 1 FROM review r WHERE r.itemID = n.id AND r.status IN ('open', 'escalated'))"
        let old = "FROM item i WHERE i.createdAt < :cutoff AND NOT \(threadHas("n.createdAt >= :cutoff"))"
        let candidates = old
        let keep = "AND NOT \(threadHas("(\(openIntake) OR \(openReview))"))"
        let cutoffValue = StoredDate.value(cutoff)
        try pool.read { db in
            report.keptForOpenIntake = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(old) AND \(threadHas(openIntake))", arguments: ["cutoff": cutoffValue]) ?? 0
            report.keptForOpenReview = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(old) AND \(threadHas(openReview)) AND NOT \(threadHas(openIntake))",
                                                        arguments: ["cutoff": cutoffValue]) ?? 0
        }
        if dryRun {
            try pool.read { db in
                report.removedItems = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(candidates) \(keep)", arguments: ["cutoff": cutoffValue]) ?? 0
                report.removedIntakes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM adverse_event WHERE itemID IN (SELECT i.id \(candidates) \(keep))",
                                                         arguments: ["cutoff": cutoffValue]) ?? 0
            }
            return report
        }
        while true {
            let removed = try pool.write { db -> Int in
                let ids = try Int64.fetchAll(db, sql: "SELECT i.id \(candidates) \(keep) ORDER BY i.id LIMIT :limit",
                                             arguments: ["cutoff": cutoffValue, "limit": batchSize])
                guard !ids.isEmpty else { return 0 }
                let list = ids.map(String.init).joined(separator: ",")
                try db.execute(sql: "DELETE FROM adverse_event WHERE itemID IN (\(list))")
                report.removedIntakes += db.changesCount
                try db.execute(sql: "DELETE FROM undo WHERE itemID IN (\(list))")
                let groups = Set(try String.fetchAll(db, sql: "SELECT DISTINCT groupKey FROM review WHERE itemID IN (\(list)) AND groupKey IS NOT NULL"))
                // Decisions, findings, outbox actions and reviews go with their item (ON DELETE CASCADE).
                try db.execute(sql: "DELETE FROM item WHERE id IN (\(list))")
                let removed = db.changesCount
                // A group whose lead went keeps a lead in every status.
                for sql in ReviewGroups.repairedSQL(groups, dialect: .sqlite) { try db.execute(sql: sql) }
                return removed
            }
            if removed == 0 { break }
            report.removedItems += removed
        }
        try pool.write { db in
            try db.execute(sql: "DELETE FROM alert WHERE status = 'sent' AND updatedAt < ?", arguments: [cutoffValue])
            report.removedAlerts = db.changesCount
            try db.execute(sql: "DELETE FROM session WHERE expiresAt < ?", arguments: [StoredDate.value(now)])
            report.removedSessions = db.changesCount
            try appendAudit(db, AuditEntry(
                at: now, actor: actor, event: "retention.purge", itemID: nil,
                detail: "removed \(report.removedItems) items created before \(ISO8601DateFormatter().string(from: cutoff)) in threads with nothing newer "
                    + "(and \(report.removedIntakes) reported or closed intakes, \(report.removedAlerts) sent alerts); kept \(report.keptForOpenIntake) "
                    + "in threads with an open adverse-event intake and \(report.keptForOpenReview) in threads open in the review queue"))
        }
        return report
    }
}
