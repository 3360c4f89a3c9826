import Foundation
import GRDB
import ThreadGuardCore

/// The store: one SQLite file in WAL mode behind a façade of named writes. Every multi-row change is one
/// transaction.
public final class ThreadGuardDatabase: Sendable, Store {
    public let path: String
    public var location: String { path }
    public var decisionBatchesAtOnce: Int { 1 }
    let pool: DatabasePool
    private let checkpointer: WALCheckpointer
    /// Poll pages from concurrent sources, committed in groups.
    private let pages: PageGroupWriter
    /// The key and checkpoint file that anchor the audit log outside the database.
    public let anchor: AuditAnchor
    /// This database's own random id (checkpoints name it; a restored copy keeps it).
    public let databaseID: String
    let checkpointPending = CheckpointPending()

    /// Opens (creating if needed) the database at `path` and brings its schema up to date. A new database file, its
    /// WAL and shared-memory files are readable by their owner only (0600), and a folder ThreadGuard creates for it
    /// is 0700. `audit` says where the audit key and checkpoints live (see `AuditAnchor`).
    public init(path: String, audit: AuditSettings = AuditSettings(), environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "threadguard"
        // The log is copied back by `WALCheckpointer`, off the writer's path.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        do {
            // Files SQLite creates now (the database, its WAL and shared memory) are the owner's only. The database file
            // is never opened and closed by hand: closing any descriptor of it would drop SQLite's locks in this process.
            pool = try PrivateFiles.withOwnerOnlyCreation { try DatabasePool(path: path, configuration: configuration) }
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.resultCode == .SQLITE_CANTOPEN ? "it cannot be opened or created" : "SQLite error \(error.resultCode.rawValue)")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(type(of: error))")
        }
        for file in [path, path + "-wal", path + "-shm"] { PrivateFiles.ownerOnly(file) }
        try Self.migrate(pool, path: path)
        checkpointer = WALCheckpointer(path: path)
        pages = PageGroupWriter(pool: pool)
        databaseID = try pool.write { db in
            if let known = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'database_id'") { return known }
            let made = UUID().uuidString.lowercased()
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('database_id', ?)", arguments: [made])
            return made
        }
        do {
            anchor = try AuditAnchor.resolve(audit, databasePath: path, databaseID: databaseID, environment: environment)
        } catch let error as AuditKeyError {
            throw StoreError.auditKey(error.description)
        }
        try checkAuditKey()
        // A tampered log (a dropped table) must still open, so that `audit verify` can say what is wrong with it.
        try? adoptLegacyHead()
    }

    /// Every process writing this database must use the same audit key: the first one records the key's check value,
    /// and a process with another key is refused before it writes a row no one could verify.
    private func checkAuditKey() throws {
        let check = anchor.keyCheck
        let recorded = try pool.write { db -> String? in
            if let known = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'audit_key_check'") { return known }
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('audit_key_check', ?)", arguments: [check])
            return nil
        }
        if let recorded, recorded != check {
            throw StoreError.auditKey("this database's audit log is keyed with another audit key than the one in \(anchor.keySource); give every process that opens \(path) the same key (the same audit_key_file or \(AuditAnchor.keyVariable))")
        }
    }

    /// A log written before keys existed (no keyed row) and never checkpointed gets its first checkpoint now; a log
    /// with keyed rows and no checkpoint is left for `audit verify` to report.
    private func adoptLegacyHead() throws {
        let (rows, keyed) = try pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit WHERE keyed = 1") ?? 0)
        }
        guard rows > 0, keyed == 0, anchor.checkpoints(db: databaseID) == nil else { return }
        try pool.read { db in writeCheckpoint(db) }
    }

    deinit {
        checkpointer.stop()
    }

    /// Writes a consistent copy of the whole database to `path` (a new file), while others go on reading and writing.
    public func backup(to path: String) throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
    }

    // MARK: Sources and cursors

    /// Records a configured source, keeping its token state if it is already known.
    public func registerSource(name: String, connector: String, account: String) throws {
        try pool.write { db in
            if var existing = try SourceRecord.fetchOne(db, key: name) {
                existing.connector = connector
                existing.account = account
                try existing.update(db)
            } else {
                try SourceRecord(name: name, connector: connector, account: account).insert(db)
            }
        }
    }

    public func sourceRecords() throws -> [SourceRecord] {
        try pool.read { db in try SourceRecord.order(SourceRecord.Columns.name).fetchAll(db) }
    }

    public func source(named name: String) throws -> SourceRecord? {
        try pool.read { db in try SourceRecord.fetchOne(db, key: name) }
    }

    public func cursor(source: String, stream: String) throws -> String? {
        try pool.read { db in
            try CursorRecord.filter(CursorRecord.Columns.sourceName == source && CursorRecord.Columns.stream == stream)
                .fetchOne(db)?.position
        }
    }

    public func cursors(source: String) throws -> [CursorRecord] {
        try pool.read { db in try CursorRecord.filter(CursorRecord.Columns.sourceName == source).fetchAll(db) }
    }

    /// Stores one page of items and the cursor that covers them in a single transaction: both land or
    /// neither does. Items already stored are left as they are. Returns the ids of the items that are new.
    @discardableResult
    public func storePage(source: String, stream: String, items: [Item], cursor: String?, at now: Date = Date()) throws -> [Int64] {
        try pool.write { db in try Self.insertPage(db, PageWrite(source: source, stream: stream, items: items, cursor: cursor, at: now)) }
    }

    /// `storePage` for async callers: waits for the writer by suspending, not by holding a thread (Swift's
    /// cooperative threads are as few as the cores, and they also run the HTTP callbacks). Pages that wait
    /// together are committed together (`PageGroupWriter`), each still with its own cursor.
    @discardableResult
    public func storePage(source: String, stream: String, items: [Item], cursor: String?, at now: Date = Date()) async throws -> [Int64] {
        try await pages.store(PageWrite(source: source, stream: stream, items: items, cursor: cursor, at: now))
    }

    static func insertPage(_ db: Database, _ page: PageWrite) throws -> [Int64] {
        var newIDs: [Int64] = []
        // ON CONFLICT … DO NOTHING skips only duplicates; OR IGNORE would also skip rows that break a CHECK.
        let statement = try db.cachedStatement(sql: """
            INSERT INTO item (platform, platformID, kind, sourceName, threadRootID, parentID, authorID, authorName,
                              text, createdAt, fetchedAt, permalink, isHidden, isBrand)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (platform, platformID) DO NOTHING
            """)
        for item in page.items {
            try statement.execute(arguments: [
                item.platform.rawValue, item.platformID, item.kind.rawValue, item.sourceName, item.threadRootID,
                item.parentID, item.authorID, item.authorName, item.text, StoredDate.value(item.createdAt), StoredDate.value(item.fetchedAt),
                item.permalink, item.isHidden, item.isBrand,
            ])
            if db.changesCount > 0 { newIDs.append(db.lastInsertedRowID) }
        }
        if let cursor = page.cursor {
            try db.cachedStatement(sql: """
                INSERT INTO cursor (sourceName, stream, position, updatedAt) VALUES (?, ?, ?, ?)
                ON CONFLICT (sourceName, stream) DO UPDATE SET position = excluded.position, updatedAt = excluded.updatedAt
                """).execute(arguments: [page.source, page.stream, cursor, StoredDate.value(page.at)])
        }
        return newIDs
    }

    /// Notes the outcome of polling a source: success clears a token problem, `needsToken` sets it.
    /// Records how a poll of `source` ended: `error` nil for success, else the safe description and its kind.
    public func recordPollOutcome(source: String, error: String?, kind: String? = nil, needsToken: Bool, apiBudget: String? = nil,
                                  at now: Date = Date()) throws {
        try pool.write { db in
            guard var record = try SourceRecord.fetchOne(db, key: source) else { return }
            if let apiBudget { record.apiBudget = apiBudget }
            record.lastError = error
            record.needsToken = needsToken
            record.lastPolledAt = now
            if error == nil {
                record.lastSuccessAt = now
                record.failingSince = nil
                record.errorKind = nil
            } else {
                record.failingSince = record.failingSince ?? now
                record.errorKind = kind ?? "temporary"
            }
            try record.update(db)
        }
    }

    // MARK: Items

    public func item(id: Int64) throws -> ItemRecord? {
        try pool.read { db in try ItemRecord.fetchOne(db, key: id) }
    }

    public func item(platform: Platform, platformID: String) throws -> ItemRecord? {
        try pool.read { db in
            try ItemRecord.filter(ItemRecord.Columns.platform == platform.rawValue && ItemRecord.Columns.platformID == platformID)
                .fetchOne(db)
        }
    }

    public func allItems() throws -> [ItemRecord] {
        try pool.read { db in try ItemRecord.order(ItemRecord.Columns.id).fetchAll(db) }
    }

    /// Items by someone other than the brand that have no decision yet, oldest first, from just after item `after`
    /// (a decider keeps its place: items get ever larger ids, and those it has passed are decided, so it need
    /// not walk them again).
    public func itemsAwaitingDecision(after: Int64, limit: Int, sources: [String]?) throws -> [ItemRecord] {
        try pool.read { db in
            let only = sources.map { " AND item.sourceName IN (\($0.map { _ in "?" }.joined(separator: ",")))" } ?? ""
            return try ItemRecord.fetchAll(db, sql: """
                SELECT item.* FROM item LEFT JOIN decision ON decision.itemID = item.id
                WHERE item.id > ? AND decision.id IS NULL AND item.isBrand = 0\(only) ORDER BY item.id LIMIT ?
                """, arguments: StatementArguments([after] + (sources ?? []) + [limit] as [any DatabaseValueConvertible]))
        }
    }

    /// The items above `record` in its thread, root first (the brand post, then each parent).
    public func ancestors(of record: ItemRecord) throws -> [ItemRecord] {
        try pool.read { db in
            var chain: [ItemRecord] = []
            var parentID = record.parentID ?? (record.kind == "post" ? nil : record.threadRootID)
            var seen: Set<String> = [record.platformID]
            while let id = parentID, !seen.contains(id),
                  let parent = try ItemRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM item WHERE platform = ? AND platformID = ?"),
                                                      arguments: [record.platform, id]) {
                seen.insert(id)
                chain.insert(parent, at: 0)
                parentID = parent.parentID ?? (parent.kind == "post" ? nil : parent.threadRootID)
            }
            return chain
        }
    }
}

/// Errors the store reports to people.
public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// A PostgreSQL server that cannot be reached or refuses (the address without its password).
    case cannotConnect(address: String, reason: String)
    case unknownAction(Int64)
    case auditKey(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the database at \(path): \(reason). Check that the folder exists and is writable."
        case .cannotConnect(let address, let reason):
            return "cannot use the PostgreSQL database at \(address): \(reason)"
        case .unknownAction(let id): return "no action with id \(id)"
        case .auditKey(let problem): return problem
        }
    }
}

extension ThreadGuardDatabase {
    /// Brings the schema up to date, one process at a time: GRDB reads which migrations were applied outside the
    /// transactions that apply them, so two processes opening an older (or new) file at the same moment could both
    /// run the same migration, and one would fail. A kernel lock on a file beside the database (it goes with the
    /// process, even when killed) makes the second wait and then find nothing left to do.
    static func migrate(_ pool: DatabasePool, path: String) throws {
        if try pool.read({ try Migrations.migrator.hasCompletedMigrations($0) }) { return }
        let descriptor = open(path + ".migrating", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.cannotOpen(path: path, reason: "its migration lock (\(path).migrating) cannot be created") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        try Migrations.migrator.migrate(pool)
    }
}

