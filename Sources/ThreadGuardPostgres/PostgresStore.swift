import Foundation
import Logging
import PostgresNIO
import ThreadGuardCore

/// The PostgreSQL store: one database shared by pollers and reviewers on many machines. This first part holds the
/// schema and migrations, items and cursors, sources leased to one poller at a time, and outbox actions claimed by
/// one executor at a time; the rest of the SQLite store's named writes follow (see issue 18's closing note).
public final class PostgresStore: Sendable, PollStore {
    /// What the server said when a statement failed.
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger

    /// Connects (the pool opens connections as they are needed) and brings the schema up to date.
    public static func open(_ location: PostgresLocation, logger: Logger, searchPath: String? = nil) async throws -> PostgresStore {
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.username,
                                                         password: location.password, database: location.database, tls: try tls(location.tls))
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let store = PostgresStore(client: client, runner: Task { await client.run() }, logger: logger)
        try await store.migrate()
        return store
    }

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    public func close() { runner.cancel() }

    static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }

    // MARK: Migrations

    /// Applies the migrations not yet applied, each in a transaction; processes starting at the same moment take
    /// turns (a transaction-scoped advisory lock), so each migration runs once.
    func migrate() async throws {
        for (id, sql) in PostgresSchema.migrations {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext('threadguard.migrate'))", logger: logger)
                try await connection.query("CREATE TABLE IF NOT EXISTS schema_migration (id TEXT PRIMARY KEY, appliedAt TIMESTAMPTZ NOT NULL)", logger: logger)
                let done = try await connection.query("SELECT 1 FROM schema_migration WHERE id = \(id)", logger: logger)
                for try await _ in done { return }
                // One statement per query (the extended protocol takes one at a time); statements end with ";\n".
                for statement in sql.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migration (id, appliedAt) VALUES (\(id), now())", logger: logger)
            }
        }
    }

    public func appliedMigrations() async throws -> [String] {
        var ids: [String] = []
        for try await id in try await client.query("SELECT id FROM schema_migration ORDER BY id", logger: logger).decode(String.self) { ids.append(id) }
        return ids
    }

    // MARK: Sources and leases

    public func registerSource(name: String, connector: String, account: String) async throws {
        try await client.query("""
            INSERT INTO source (name, connector, account) VALUES (\(name), \(connector), \(account))
            ON CONFLICT (name) DO UPDATE SET connector = excluded.connector, account = excluded.account
            """, logger: logger)
    }

    /// Leases one source to `owner` for `seconds`: one whose lease is free or has run out (its holder died), not polled
    /// since `notPolledSince` (one pass of a poll run takes each source once), least recently polled first. Pollers on
    /// any number of machines never poll the same source at once: the row is taken with `FOR UPDATE SKIP LOCKED`, so a
    /// competitor skips it instead of waiting. nil when every source is leased or already polled in this pass.
    public func leaseSource(owner: String, seconds: Int, notPolledSince: Date = .distantFuture) async throws -> String? {
        let rows = try await client.query("""
            UPDATE source SET leaseOwner = \(owner), leaseUntil = now() + make_interval(secs => \(Double(seconds)))
            WHERE name = (SELECT name FROM source WHERE (leaseUntil IS NULL OR leaseUntil < now())
                                                    AND (lastPolledAt IS NULL OR lastPolledAt < \(notPolledSince))
                          ORDER BY lastPolledAt NULLS FIRST, name LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING name
            """, logger: logger)
        for try await name in rows.decode(String.self) { return name }
        return nil
    }

    /// The server's clock: the start of a pass is taken from it, so that pollers on machines whose clocks differ agree.
    public func serverNow() async throws -> Date {
        for try await now in try await client.query("SELECT now()", logger: logger).decode(Date.self) { return now }
        return Date()
    }

    /// Ends `owner`'s lease of `source` and records the poll's end; false when the lease was no longer `owner`'s.
    @discardableResult
    public func releaseSource(_ source: String, owner: String, polled: Bool = true) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE source SET leaseOwner = NULL, leaseUntil = NULL, lastPolledAt = CASE WHEN \(polled) THEN now() ELSE lastPolledAt END
            WHERE name = \(source) AND leaseOwner = \(owner) RETURNING name
            """, logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    /// Records how a poll of `source` ended, as the SQLite store does: success clears the failure, a failure keeps
    /// the time the run of failures began.
    public func recordPollOutcome(source: String, error: String?, kind: String?, needsToken: Bool, apiBudget: String?, at now: Date = Date()) async throws {
        if error == nil {
            try await client.query("""
                UPDATE source SET lastError = NULL, needsToken = FALSE, lastPolledAt = \(now), lastSuccessAt = \(now), failingSince = NULL,
                                  errorKind = NULL, apiBudget = COALESCE(\(apiBudget), apiBudget)
                WHERE name = \(source)
                """, logger: logger)
        } else {
            try await client.query("""
                UPDATE source SET lastError = \(error), needsToken = \(needsToken), lastPolledAt = \(now), failingSince = COALESCE(failingSince, \(now)),
                                  errorKind = \(kind ?? "temporary"), apiBudget = COALESCE(\(apiBudget), apiBudget)
                WHERE name = \(source)
                """, logger: logger)
        }
    }

    // MARK: Items and cursors

    /// Stores one page of items and the cursor that covers them in one transaction: both land or neither does. Items
    /// stored before are left as they are. Returns the ids of the new ones.
    @discardableResult
    public func storePage(source: String, stream: String, items: [Item], cursor: String?, at now: Date = Date()) async throws -> [Int64] {
        try await client.withTransaction(logger: logger) { connection in
            var ids: [Int64] = []
            for item in items {
                let rows = try await connection.query("""
                    INSERT INTO item (platform, platformID, kind, sourceName, threadRootID, parentID, authorID, authorName, text,
                                      createdAt, fetchedAt, permalink, isHidden, isBrand)
                    VALUES (\(item.platform.rawValue), \(item.platformID), \(item.kind.rawValue), \(item.sourceName), \(item.threadRootID),
                            \(item.parentID), \(item.authorID), \(item.authorName), \(item.text), \(item.createdAt), \(item.fetchedAt),
                            \(item.permalink), \(item.isHidden), \(item.isBrand))
                    ON CONFLICT (platform, platformID) DO NOTHING RETURNING id
                    """, logger: logger)
                for try await id in rows.decode(Int64.self) { ids.append(id) }
            }
            if let cursor {
                try await connection.query("""
                    INSERT INTO cursor (sourceName, stream, position, updatedAt) VALUES (\(source), \(stream), \(cursor), \(now))
                    ON CONFLICT (sourceName, stream) DO UPDATE SET position = excluded.position, updatedAt = excluded.updatedAt
                    """, logger: logger)
            }
            return ids
        }
    }

    public func cursor(source: String, stream: String) async throws -> String? {
        let rows = try await client.query("SELECT position FROM cursor WHERE sourceName = \(source) AND stream = \(stream)", logger: logger)
        for try await position in rows.decode(String.self) { return position }
        return nil
    }

    public func itemCount(platformID: String? = nil) async throws -> Int {
        let sequence: PostgresRowSequence
        if let platformID {
            sequence = try await client.query("SELECT count(*) FROM item WHERE platformID = \(platformID)", logger: logger)
        } else {
            sequence = try await client.query("SELECT count(*) FROM item", logger: logger)
        }
        for try await count in sequence.decode(Int64.self) { return Int(count) }
        return 0
    }

    // MARK: Outbox

    /// Queues an outbox action (once per idempotency key); its id.
    @discardableResult
    public func queueAction(itemID: Int64, kind: String, idempotencyKey: String, payload: String? = nil) async throws -> Int64? {
        let rows = try await client.query("""
            INSERT INTO action (itemID, kind, idempotencyKey, status, payload, ruleIDs, createdAt, updatedAt)
            VALUES (\(itemID), \(kind), \(idempotencyKey), 'pending', \(payload), '[]', now(), now())
            ON CONFLICT (idempotencyKey) DO NOTHING RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        return nil
    }

    /// Claims up to `limit` pending actions for `owner` (pending → sending), skipping rows another executor is
    /// claiming at the same moment: each action has exactly one sender.
    public func claimActions(owner: String, limit: Int) async throws -> [Int64] {
        let rows = try await client.query("""
            UPDATE action SET status = 'sending', owner = \(owner), claimedAt = now(), updatedAt = now()
            WHERE id IN (SELECT id FROM action WHERE status = 'pending' ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id
            """, logger: logger)
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        return ids.sorted()
    }
}

/// A short-lived connection for administration (creating a test database, altering a table in a test).
public struct PostgresAdmin: Sendable {
    let client: PostgresClient
    let logger: Logger

    public func execute(_ sql: String) async throws {
        do {
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch let error as PSQLError {
            // The server's own message (a test's or an administrator's statement, never comment text).
            throw PostgresStore.Failure(description: error.serverInfo?[.message] ?? "\(error.code)")
        }
    }
}

extension PostgresStore {
    public static func administer(_ location: PostgresLocation, _ body: (PostgresAdmin) async throws -> Void) async throws {
        let logger = Logger(label: "threadguard.postgres.admin", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: .init(host: location.host, port: location.port, username: location.username,
                                                         password: location.password, database: location.database, tls: try tls(location.tls)),
                                    backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        try await body(PostgresAdmin(client: client, logger: logger))
    }
}
