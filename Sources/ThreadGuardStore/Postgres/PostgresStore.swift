import Foundation
import Logging
import PostgresNIO
import ThreadGuardCore

/// The PostgreSQL store: one database shared by pollers and `serve` instances on many machines. The same tables,
/// named writes and audit chain as the SQLite store, plus what sharing needs: sources leased to one poller at a time,
/// outbox actions and alerts claimed by one sender at a time (`FOR UPDATE SKIP LOCKED`), audit rows appended by one
/// writer at a time (a transaction-scoped advisory lock, so the chain stays one chain), sessions in the database.
public final class PostgresStore: Sendable, Store {
    /// What the server said when a statement failed.
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    public let databaseID: String
    public let location: String
    public var decisionBatchesAtOnce: Int { 2 }
    /// The key and checkpoint file that anchor the audit log outside the database (on each machine that writes it).
    public let anchor: AuditAnchor
    static let bridge = PostgresBridge()

    /// Connects (the pool opens connections as they are needed), brings the schema up to date and checks that this
    /// process holds the audit key every other writer holds.
    public static func open(_ location: PostgresLocation, audit: AuditSettings = AuditSettings(),
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            logger: Logger, searchPath: String? = nil, timeout: Double = PostgresStore.defaultTimeout) async throws -> PostgresStore {
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.username,
                                                         password: location.password, database: location.database, tls: try tls(location.tls))
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = bridge.start { await client.run() }
        do {
            // The pool retries a server that does not answer for about a minute before it gives up: a command waits
            // no longer than `timeout` for the first answer (the schema brought up to date).
            try await withDeadline(timeout, address: "\(location.host):\(location.port)") { try await migrate(client, logger: logger) }
            let databaseID = try await metaValue(client, "database_id", orSet: UUID().uuidString.lowercased(), logger: logger)
            let anchor: AuditAnchor
            do {
                anchor = try AuditAnchor.resolve(audit, databasePath: nil, databaseID: databaseID, environment: environment)
            } catch let error as AuditKeyError {
                throw StoreError.auditKey(error.description)
            }
            let address = "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)"
            if try await metaValue(client, "audit_key_check", orSet: anchor.keyCheck, logger: logger) != anchor.keyCheck {
                throw StoreError.auditKey("this database's audit log is keyed with another audit key than the one in \(anchor.keySource); give every process that opens \(address) the same key (the same audit_key_file or \(AuditAnchor.keyVariable))")
            }
            return PostgresStore(client: client, runner: runner, logger: logger, databaseID: databaseID, location: address, anchor: anchor)
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// How long opening waits for the server's first answer, unless the configuration says (`database_timeout`).
    public static let defaultTimeout: Double = 60

    /// `body`, or a failure naming `address` when it has not finished after `seconds`.
    static func withDeadline(_ seconds: Double, address: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await body(); return true }
            group.addTask { try await Task.sleep(for: .seconds(seconds)); return false }
            let finished = try await group.next() ?? false
            group.cancelAll()
            guard finished else {
                throw Failure(description: "no answer from \(address) within \(Int(seconds)) s; check that the server runs there and accepts this user and password")
            }
        }
    }

    /// `open` for synchronous callers (the configuration's `openStore()`).
    public static func connect(_ location: PostgresLocation, audit: AuditSettings = AuditSettings(),
                               environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger,
                               timeout: Double = PostgresStore.defaultTimeout) throws -> PostgresStore {
        try bridge.wait { try await open(location, audit: audit, environment: environment, logger: logger, timeout: timeout) }
    }

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger, databaseID: String, location: String, anchor: AuditAnchor) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.databaseID = databaseID
        self.location = location
        self.anchor = anchor
    }

    deinit { runner.cancel() }

    public func close() { runner.cancel() }

    /// Runs async store work for a synchronous caller (see `PostgresBridge`).
    func wait<T: Sendable>(_ body: @escaping @Sendable (PostgresStore) async throws -> T) throws -> T {
        try Self.bridge.wait { [self] in try await body(self) }
    }

    static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }

    /// The value stored under `key` in `meta`, storing `value` first when there is none (the first process wins).
    static func metaValue(_ client: PostgresClient, _ key: String, orSet value: String, logger: Logger) async throws -> String {
        try await client.query("INSERT INTO meta (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO NOTHING", logger: logger)
        for try await stored in try await client.query("SELECT value FROM meta WHERE key = \(key)", logger: logger).decode(String.self) { return stored }
        return value
    }

    // MARK: Migrations

    /// Applies the migrations not yet applied, each in a transaction; processes starting at the same moment take
    /// turns (a transaction-scoped advisory lock), so each migration runs once.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
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
    /// since `notPolledSince` (one pass of a poll run takes each source once), least recently polled first; only those
    /// named in `among` when given (the sources this poller's configuration knows). Pollers on any number of machines
    /// never poll the same source at once: the row is taken with `FOR UPDATE SKIP LOCKED`, so a competitor skips it
    /// instead of waiting. nil when every source is leased or already polled in this pass.
    public func leaseSource(owner: String, seconds: Int, notPolledSince: Date = .distantFuture, among: [String]? = nil) async throws -> String? {
        let rows = try await client.query("""
            UPDATE source SET leaseOwner = \(owner), leaseUntil = now() + make_interval(secs => \(Double(seconds)))
            WHERE name = (SELECT name FROM source WHERE (leaseUntil IS NULL OR leaseUntil < now())
                                                    AND (lastPolledAt IS NULL OR lastPolledAt < \(notPolledSince))
                                                    AND (\(among == nil) OR name = ANY(\(among ?? [])))
                          ORDER BY lastPolledAt NULLS FIRST, name LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING name
            """, logger: logger)
        for try await name in rows.decode(String.self) { return name }
        return nil
    }

    /// Extends `owner`'s lease of `source` by `seconds` from now (after each page: a poller that is alive keeps it);
    /// false when the lease is no longer `owner`'s.
    @discardableResult
    public func renewLease(_ source: String, owner: String, seconds: Int) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE source SET leaseUntil = now() + make_interval(secs => \(Double(seconds))) WHERE name = \(source) AND leaseOwner = \(owner) RETURNING name
            """, logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
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

extension PostgresStore {
    /// Why a connection or statement failed, for people: the server's message (never a bound value), or the kind of
    /// failure. PostgresNIO's own description leaves the server's message out on purpose.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? Failure { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(type(of: error))"
    }
}
