import Foundation
import PostgresNIO
import ThreadGuardCore

extension PostgresStore {
    // MARK: Pages and cursors (async: the poller's)

    /// Stores one page of items and the cursor that covers them in one transaction: both land or neither does. Items
    /// stored before are left as they are. Returns the ids of the new ones. One statement for the whole page.
    @discardableResult
    public func storePage(source: String, stream: String, items: [Item], cursor: String?, at now: Date = Date()) async throws -> [Int64] {
        try await transaction { connection in
            let rows = items.map { item -> [CopyValue] in
                [.text(item.platform.rawValue), .text(item.platformID), .text(item.kind.rawValue), .text(item.sourceName),
                 .text(item.threadRootID), .of(item.parentID), .text(item.authorID), .text(item.authorName), .text(item.text),
                 .date(item.createdAt), .date(item.fetchedAt), .of(item.permalink), .bool(item.isHidden), .bool(item.isBrand)]
            }
            let inserted = try await insertRows(connection, into: "item", columns: "platform, platformID, kind, sourceName, threadRootID, parentID, authorID, authorName, text, createdAt, fetchedAt, permalink, isHidden, isBrand", rows, then: "ON CONFLICT (platform, platformID) DO NOTHING RETURNING id")
            if let cursor {
                try await execute("""
                    INSERT INTO cursor (sourceName, stream, position, updatedAt) VALUES (\(source), \(stream), \(cursor), \(now))
                    ON CONFLICT (sourceName, stream) DO UPDATE SET position = excluded.position, updatedAt = excluded.updatedAt
                    """, on: connection)
            }
            return try inserted.map { try $0.decode(Int64.self) }.sorted()
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

    // MARK: The store's calls

    public func registerSource(name: String, connector: String, account: String) throws {
        try wait { try await $0.registerSource(name: name, connector: connector, account: account) }
    }

    public func sourceRecords() throws -> [SourceRecord] {
        try wait { try await $0.fetch(SourceRecord.self, "SELECT * FROM source ORDER BY name") }
    }

    public func recordPollOutcome(source: String, error: String?, kind: String?, needsToken: Bool, apiBudget: String?, at now: Date) throws {
        try wait { try await $0.recordPollOutcome(source: source, error: error, kind: kind, needsToken: needsToken, apiBudget: apiBudget, at: now) }
    }

    public func cursor(source: String, stream: String) throws -> String? {
        try wait { try await $0.cursor(source: source, stream: stream) }
    }

    public func cursors(source: String) throws -> [CursorRecord] {
        try wait { try await $0.fetch(CursorRecord.self, "SELECT * FROM cursor WHERE sourceName = \(source) ORDER BY stream") }
    }

    public func storePage(source: String, stream: String, items: [Item], cursor: String?, at now: Date) throws -> [Int64] {
        try wait { try await $0.storePage(source: source, stream: stream, items: items, cursor: cursor, at: now) }
    }

    public func item(id: Int64) throws -> ItemRecord? {
        try wait { try await $0.fetch(ItemRecord.self, "SELECT * FROM item WHERE id = \(id)").first }
    }

    public func item(platform: Platform, platformID: String) throws -> ItemRecord? {
        try wait { try await $0.fetch(ItemRecord.self, "SELECT * FROM item WHERE platform = \(platform.rawValue) AND platformID = \(platformID)").first }
    }

    public func allItems() throws -> [ItemRecord] {
        try wait { try await $0.fetch(ItemRecord.self, "SELECT * FROM item ORDER BY id") }
    }

    public func itemsAwaitingDecision(after: Int64, limit: Int, sources: [String]?) throws -> [ItemRecord] {
        try wait {
            try await $0.fetch(ItemRecord.self, """
                SELECT item.* FROM item
                WHERE item.id > \(after) AND NOT item.isBrand
                  AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.itemID = item.id AND d.itemID > \(after))
                  AND (\(sources == nil) OR item.sourceName = ANY(\(sources ?? [])))
                ORDER BY item.id LIMIT \(limit)
                """)
        }
    }

    public func ancestors(of record: ItemRecord) throws -> [ItemRecord] {
        try wait { try await $0.ancestors(of: record) }
    }

    /// The items above `record` in its thread, root first (the brand post, then each parent).
    func ancestors(of record: ItemRecord, on connection: PostgresConnection? = nil) async throws -> [ItemRecord] {
        var chain: [ItemRecord] = []
        var parentID = record.parentID ?? (record.kind == "post" ? nil : record.threadRootID)
        var seen: Set<String> = [record.platformID]
        while let id = parentID, !seen.contains(id),
              let parent = try await fetch(ItemRecord.self, "SELECT * FROM item WHERE platform = \(record.platform) AND platformID = \(id)",
                                           on: connection).first {
            seen.insert(id)
            chain.insert(parent, at: 0)
            parentID = parent.parentID ?? (parent.kind == "post" ? nil : parent.threadRootID)
        }
        return chain
    }
}
