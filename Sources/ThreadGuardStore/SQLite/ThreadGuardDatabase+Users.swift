import Foundation
import GRDB
import ThreadGuardCore

extension ThreadGuardDatabase {
    // MARK: Users and sessions

    /// Adds a person under the normalised form of `name` (see `UserNames`); `actor` is who added them, as the audit
    /// log records it (`user:NAME` for a person, `cli:NAME` for the command line).
    public func addUser(name: String, passwordHash: String, role: String, actor: String, at now: Date = Date()) throws {
        let name = UserNames.normalised(name)
        if let problem = UserNames.problem(name) { throw ReviewError.invalidUserName(problem) }
        try pool.write { db in
            guard try UserRecord.fetchOne(db, key: name) == nil else { throw ReviewError.userExists(name) }
            let skeleton = UserNames.skeleton(name)
            if let twin = try UserRecord.fetchAll(db).first(where: { UserNames.skeleton($0.name) == skeleton }) {
                throw ReviewError.invalidUserName("'\(name)' looks like the existing user '\(twin.name)'")
            }
            try UserRecord(name: name, passwordHash: passwordHash, role: role, createdAt: now).insert(db)
            try appendAudit(db, AuditEntry(at: now, actor: actor, event: "user.added", itemID: nil, after: role, detail: "user=\(name)"))
        }
    }

    /// Removes a person: their sessions end at once; what they did stays in the audit log under their name. The last
    /// admin cannot be removed.
    public func removeUser(name: String, actor: String, at now: Date = Date()) throws {
        try pool.write { db in
            guard let user = try UserRecord.fetchOne(db, key: name) ?? UserRecord.fetchOne(db, key: UserNames.normalised(name)) else {
                throw ReviewError.unknownUser(name)
            }
            if user.role == "admin", try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user WHERE role = 'admin'") == 1 {
                throw ReviewError.lastAdmin(user.name)
            }
            try db.execute(sql: "DELETE FROM undo WHERE userName = ?", arguments: [user.name])
            try db.execute(sql: "DELETE FROM user WHERE name = ?", arguments: [user.name])  // sessions cascade
            try appendAudit(db, AuditEntry(at: now, actor: actor, event: "user.removed", itemID: nil, before: user.role, detail: "user=\(user.name)"))
        }
    }

    /// Replaces a person's password hash and signs out every session of theirs.
    public func resetPassword(name: String, passwordHash: String, actor: String, at now: Date = Date()) throws {
        try pool.write { db in
            guard let user = try UserRecord.fetchOne(db, key: name) ?? UserRecord.fetchOne(db, key: UserNames.normalised(name)) else {
                throw ReviewError.unknownUser(name)
            }
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE name = ?", arguments: [passwordHash, user.name])
            try db.execute(sql: "DELETE FROM session WHERE userName = ?", arguments: [user.name])
            try appendAudit(db, AuditEntry(at: now, actor: actor, event: "user.password_reset", itemID: nil, detail: "user=\(user.name)"))
        }
    }

    /// The person signing in as `name`: the name as stored, or its normalised form.
    public func user(named name: String) throws -> UserRecord? {
        try pool.read { db in
            if let exact = try UserRecord.fetchOne(db, key: name) { return exact }
            return try UserRecord.fetchOne(db, key: UserNames.normalised(name))
        }
    }

    public func users() throws -> [UserRecord] {
        try pool.read { db in try UserRecord.order(Column("name")).fetchAll(db) }
    }

    public func createSession(_ session: SessionRecord) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expiresAt < ?", arguments: [session.createdAt])
            try session.insert(db)
        }
    }

    /// The live session for a token hash, with its user.
    public func session(tokenHash: String, now: Date = Date()) throws -> (SessionRecord, UserRecord)? {
        try pool.read { db in
            guard let session = try SessionRecord.fetchOne(db, key: tokenHash), session.expiresAt > now,
                  let user = try UserRecord.fetchOne(db, key: session.userName) else { return nil }
            return (session, user)
        }
    }

    public func deleteSession(tokenHash: String) throws {
        try pool.write { db in _ = try SessionRecord.deleteOne(db, key: tokenHash) }
    }

    // MARK: Dashboard figures

    /// Items flagged per day and category over the last `days` days.
    public func flagsPerDay(days: Int, now: Date = Date()) throws -> [DayCount] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT date(openedAt) AS day, category, COUNT(*) AS n FROM review WHERE openedAt >= ? GROUP BY day, category ORDER BY day
                """, arguments: [now.addingTimeInterval(-Double(days) * 86_400)]).map { DayCount(day: $0["day"], key: $0["category"], count: $0["n"]) }
        }
    }

    /// Open items at the end of each of the last `days` days.
    public func queueDepth(days: Int, now: Date = Date()) throws -> [DayCount] {
        try pool.read { db in
            var out: [DayCount] = []
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.timeZone = TimeZone(identifier: "UTC")
            for back in stride(from: days - 1, through: 0, by: -1) {
                let end = Calendar(identifier: .gregorian).startOfDay(for: now.addingTimeInterval(-Double(back) * 86_400)).addingTimeInterval(86_400)
                let open = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM review WHERE openedAt < ? AND (status = 'open' OR firstActionAt IS NULL OR firstActionAt >= ?)
                    """, arguments: [end, end]) ?? 0
                out.append(DayCount(day: formatter.string(from: end.addingTimeInterval(-1)), key: "open", count: open))
            }
            return out
        }
    }

    /// Median minutes from flag to a person's first action, per day it was flagged.
    public func timeToFirstAction(days: Int, now: Date = Date()) throws -> [DayCount] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT date(openedAt) AS day, openedAt, firstActionAt FROM review WHERE firstActionAt IS NOT NULL AND openedAt >= ?
                """, arguments: [now.addingTimeInterval(-Double(days) * 86_400)])
            var minutes: [String: [Double]] = [:]
            for row in rows {
                let opened: Date = row["openedAt"], first: Date = row["firstActionAt"]
                minutes[row["day"], default: []].append(max(0, first.timeIntervalSince(opened) / 60))
            }
            return minutes.keys.sorted().map { day in
                let sorted = minutes[day]!.sorted()
                return DayCount(day: day, key: "median_minutes", count: Int(sorted[sorted.count / 2].rounded()))
            }
        }
    }

    /// Platform actions done by the workflow on its own versus by people, per day.
    public func handling(days: Int, now: Date = Date()) throws -> [DayCount] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT date(at / 1000, 'unixepoch') AS day,
                       CASE WHEN actor LIKE 'user:%' THEN 'human' ELSE 'automated' END AS who, COUNT(*) AS n
                FROM audit WHERE at >= ? AND (event IN ('hide', 'unhide', 'private_reply', 'public_reply', 'delete') OR event LIKE 'review.%')
                GROUP BY day, who ORDER BY day
                """, arguments: [Int64((now.timeIntervalSince1970 - Double(days) * 86_400) * 1000)]).map {
                DayCount(day: $0["day"], key: $0["who"], count: $0["n"])
            }
        }
    }
}
