import Foundation
import GRDB

/// A row of `alert`: one message to one channel about one subject. The key (`channel|subject`) is unique, so a
/// subject is alerted once per channel however many runs see it.
public struct AlertRecord: Codable, Sendable, FetchableRecord {
    public var id: Int64
    public var key: String
    public var channel: String
    public var kind: String
    /// The message as JSON (ids, categories, counts, a link; never comment text or names).
    public var payload: String
    public var status: String
    public var attempts: Int
    public var owner: String?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A new alert to store.
public struct NewAlert: Sendable, Equatable {
    public var channel: String
    public var subject: String
    public var kind: String
    public var payload: String

    public init(channel: String, subject: String, kind: String, payload: String) {
        self.channel = channel
        self.subject = subject
        self.kind = kind
        self.payload = payload
    }

    public var key: String { "\(channel)|\(subject)" }
}

extension ThreadGuardDatabase {
    /// Stores the alerts not stored before (by key); returns how many are new.
    @discardableResult
    public func enqueueAlerts(_ alerts: [NewAlert], at now: Date = Date()) throws -> Int {
        guard !alerts.isEmpty else { return 0 }
        return try pool.write { db in
            var added = 0
            for alert in alerts {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO alert (key, channel, kind, payload, status, attempts, createdAt, updatedAt)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
                    """, arguments: [alert.key, alert.channel, alert.kind, alert.payload, StoredDate.value(now), StoredDate.value(now)])
                added += db.changesCount
            }
            return added
        }
    }

    /// Which subjects already have an alert on `channel` (so planners need not build their messages again).
    public func alertedSubjects(channel: String) throws -> Set<String> {
        try pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT key FROM alert WHERE channel = ?", arguments: [channel])
                .map { String($0.dropFirst(channel.count + 1)) })
        }
    }

    /// Takes the alerts waiting to go (pending, or left sending by a process that died more than `staleAfter` ago)
    /// for `owner`, oldest first.
    public func claimAlerts(owner: String, limit: Int = 100, staleAfter: TimeInterval = 120, at now: Date = Date()) throws -> [AlertRecord] {
        try pool.write { db in
            let stale = StoredDate.value(now.addingTimeInterval(-staleAfter))
            let ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM alert WHERE status = 'pending' OR (status = 'sending' AND updatedAt < ?) ORDER BY id LIMIT ?
                """, arguments: [stale, limit])
            guard !ids.isEmpty else { return [] }
            let list = ids.map(String.init).joined(separator: ",")
            try db.execute(sql: "UPDATE alert SET status = 'sending', owner = ?, attempts = attempts + 1, updatedAt = ? WHERE id IN (\(list))",
                           arguments: [owner, StoredDate.value(now)])
            return try AlertRecord.fetchAll(db, sql: "SELECT * FROM alert WHERE id IN (\(list)) ORDER BY id")
        }
    }

    /// Records how sending went, while `owner` still holds the row: sent, back to pending, or dead after `maxAttempts`.
    public func finishAlert(id: Int64, owner: String, error: String?, maxAttempts: Int, at now: Date = Date()) throws {
        try pool.write { db in
            let status: String
            if error == nil { status = "sent" } else {
                let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM alert WHERE id = ?", arguments: [id]) ?? 0
                status = attempts >= maxAttempts ? "dead" : "pending"
            }
            try db.execute(sql: "UPDATE alert SET status = ?, lastError = ?, updatedAt = ? WHERE id = ? AND owner = ? AND status = 'sending'",
                           arguments: [status, error, StoredDate.value(now), id, owner])
        }
    }

    public func alerts() throws -> [AlertRecord] {
        try pool.read { db in try AlertRecord.fetchAll(db, sql: "SELECT * FROM alert ORDER BY id") }
    }

    /// Alerts by status (pending, sending, sent, dead).
    public func alertCounts() throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM alert GROUP BY status") { counts[row["status"]] = row["n"] }
            return counts
        }
    }
}
