import Foundation
import PostgresNIO
import ThreadGuardCore

/// People, their sessions and the dashboard's figures on PostgreSQL. Sessions (with their CSRF secret) live in the
/// database, so any `serve` instance answers any signed-in browser.
extension PostgresStore {
    public func addUser(name: String, passwordHash: String, role: String, actor: String, at now: Date) throws {
        let name = UserNames.normalised(name)
        if let problem = UserNames.problem(name) { throw ReviewError.invalidUserName(problem) }
        try wait { store in try await store.withAudit { connection in
            let existing = try await store.fetch(UserRecord.self, "SELECT * FROM \"user\" ORDER BY name", on: connection)
            guard !existing.contains(where: { $0.name == name }) else { throw ReviewError.userExists(name) }
            let skeleton = UserNames.skeleton(name)
            if let twin = existing.first(where: { UserNames.skeleton($0.name) == skeleton }) {
                throw ReviewError.invalidUserName("'\(name)' looks like the existing user '\(twin.name)'")
            }
            try await store.execute("INSERT INTO \"user\" (name, passwordHash, role, createdAt) VALUES (\(name), \(passwordHash), \(role), \(now))", on: connection)
            return ((), [AuditEntry(at: now, actor: actor, event: "user.added", itemID: nil, after: role, detail: "user=\(name)")])
        } }
    }

    private func lockedUser(_ name: String, on connection: PostgresConnection) async throws -> UserRecord {
        if let user = try await fetch(UserRecord.self, "SELECT * FROM \"user\" WHERE name = \(name) FOR UPDATE", on: connection).first { return user }
        if let user = try await fetch(UserRecord.self, "SELECT * FROM \"user\" WHERE name = \(UserNames.normalised(name)) FOR UPDATE", on: connection).first {
            return user
        }
        throw ReviewError.unknownUser(name)
    }

    public func removeUser(name: String, actor: String, at now: Date) throws {
        try wait { store in try await store.withAudit { connection in
            let user = try await store.lockedUser(name, on: connection)
            let admins = try await store.rows("SELECT count(*) AS n FROM \"user\" WHERE role = 'admin'", on: connection).first?.value("n", as: Int64.self) ?? 0
            if user.role == "admin", admins == 1 { throw ReviewError.lastAdmin(user.name) }
            try await store.execute("DELETE FROM undo WHERE userName = \(user.name)", on: connection)
            try await store.execute("DELETE FROM \"user\" WHERE name = \(user.name)", on: connection)  // sessions cascade
            return ((), [AuditEntry(at: now, actor: actor, event: "user.removed", itemID: nil, before: user.role, detail: "user=\(user.name)")])
        } }
    }

    public func resetPassword(name: String, passwordHash: String, actor: String, at now: Date) throws {
        try wait { store in try await store.withAudit { connection in
            let user = try await store.lockedUser(name, on: connection)
            try await store.execute("UPDATE \"user\" SET passwordHash = \(passwordHash) WHERE name = \(user.name)", on: connection)
            try await store.execute("DELETE FROM session WHERE userName = \(user.name)", on: connection)
            return ((), [AuditEntry(at: now, actor: actor, event: "user.password_reset", itemID: nil, detail: "user=\(user.name)")])
        } }
    }

    public func user(named name: String) throws -> UserRecord? {
        try wait { store in
            if let exact = try await store.fetch(UserRecord.self, "SELECT * FROM \"user\" WHERE name = \(name)").first { return exact }
            return try await store.fetch(UserRecord.self, "SELECT * FROM \"user\" WHERE name = \(UserNames.normalised(name))").first
        }
    }

    public func users() throws -> [UserRecord] {
        try wait { try await $0.fetch(UserRecord.self, "SELECT * FROM \"user\" ORDER BY name") }
    }

    public func createSession(_ session: SessionRecord) throws {
        try wait { store in
            try await store.transaction { connection in
                try await store.execute("DELETE FROM session WHERE expiresAt < \(session.createdAt)", on: connection)
                try await store.execute("""
                    INSERT INTO session (tokenHash, userName, csrf, createdAt, expiresAt)
                    VALUES (\(session.tokenHash), \(session.userName), \(session.csrf), \(session.createdAt), \(session.expiresAt))
                    """, on: connection)
            }
        }
    }

    public func session(tokenHash: String, now: Date) throws -> (SessionRecord, UserRecord)? {
        try wait { store in
            guard let session = try await store.fetch(SessionRecord.self, "SELECT * FROM session WHERE tokenHash = \(tokenHash)").first, session.expiresAt > now,
                  let user = try await store.fetch(UserRecord.self, "SELECT * FROM \"user\" WHERE name = \(session.userName)").first else { return nil }
            return (session, user)
        }
    }

    public func deleteSession(tokenHash: String) throws {
        try wait { store in _ = try await store.client.query("DELETE FROM session WHERE tokenHash = \(tokenHash)", logger: store.logger) }
    }

    // MARK: Dashboard figures (days in UTC, as the SQLite store's date() gives them)

    public func flagsPerDay(days: Int, now: Date) throws -> [DayCount] {
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        return try wait { store in
            try await store.rows("""
                SELECT to_char(openedAt AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, category, count(*) AS n FROM review WHERE openedAt >= \(since)
                GROUP BY day, category ORDER BY day, category
                """).map { DayCount(day: try $0.value("day") ?? "", key: try $0.value("category") ?? "", count: Int(try $0.value("n", as: Int64.self) ?? 0)) }
        }
    }

    public func queueDepth(days: Int, now: Date) throws -> [DayCount] {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let ends = stride(from: days - 1, through: 0, by: -1).map { back in
            Calendar(identifier: .gregorian).startOfDay(for: now.addingTimeInterval(-Double(back) * 86_400)).addingTimeInterval(86_400)
        }
        return try wait { store in
            var out: [DayCount] = []
            for end in ends {
                let open = try await store.rows("""
                    SELECT count(*) AS n FROM review WHERE openedAt < \(end) AND (status = 'open' OR firstActionAt IS NULL OR firstActionAt >= \(end))
                    """).first?.value("n", as: Int64.self) ?? 0
                out.append(DayCount(day: formatter.string(from: end.addingTimeInterval(-1)), key: "open", count: Int(open)))
            }
            return out
        }
    }

    public func timeToFirstAction(days: Int, now: Date) throws -> [DayCount] {
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        let rows = try wait { store in
            try await store.rows("""
                SELECT to_char(openedAt AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, openedAt, firstActionAt FROM review
                WHERE firstActionAt IS NOT NULL AND openedAt >= \(since)
                """).map { (try $0.value("day", as: String.self) ?? "", try $0.value("openedat", as: Date.self) ?? Date(), try $0.value("firstactionat", as: Date.self) ?? Date()) }
        }
        var minutes: [String: [Double]] = [:]
        for (day, opened, first) in rows { minutes[day, default: []].append(max(0, first.timeIntervalSince(opened) / 60)) }
        return minutes.keys.sorted().map { day in
            let sorted = minutes[day]!.sorted()
            return DayCount(day: day, key: "median_minutes", count: Int(sorted[sorted.count / 2].rounded()))
        }
    }

    public func handling(days: Int, now: Date) throws -> [DayCount] {
        let since = Int64((now.timeIntervalSince1970 - Double(days) * 86_400) * 1000)
        return try wait { store in
            try await store.rows("""
                SELECT to_char(to_timestamp(at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                       CASE WHEN actor LIKE 'user:%' THEN 'human' ELSE 'automated' END AS who, count(*) AS n
                FROM audit WHERE at >= \(since) AND (event IN ('hide', 'unhide', 'private_reply', 'public_reply', 'delete') OR event LIKE 'review.%')
                GROUP BY day, who ORDER BY day, who
                """).map { DayCount(day: try $0.value("day") ?? "", key: try $0.value("who") ?? "", count: Int(try $0.value("n", as: Int64.self) ?? 0)) }
        }
    }
}
