import Foundation
import GRDB
import ThreadGuardCore

/// A row of `item`: one stored post, comment or reply.
public struct ItemRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "item"
    public var id: Int64?
    public var platform: String
    public var platformID: String
    public var kind: String
    public var sourceName: String
    public var threadRootID: String
    public var parentID: String?
    public var authorID: String
    public var authorName: String
    public var text: String
    public var createdAt: Date
    public var fetchedAt: Date
    public var permalink: String?
    public var isHidden: Bool
    public var isBrand: Bool

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let platform = Column(CodingKeys.platform)
        public static let platformID = Column(CodingKeys.platformID)
        public static let sourceName = Column(CodingKeys.sourceName)
        public static let threadRootID = Column(CodingKeys.threadRootID)
        public static let parentID = Column(CodingKeys.parentID)
        public static let isHidden = Column(CodingKeys.isHidden)
        public static let isBrand = Column(CodingKeys.isBrand)
        public static let fetchedAt = Column(CodingKeys.fetchedAt)
    }

    public init(_ item: Item) {
        platform = item.platform.rawValue
        platformID = item.platformID
        kind = item.kind.rawValue
        sourceName = item.sourceName
        threadRootID = item.threadRootID
        parentID = item.parentID
        authorID = item.authorID
        authorName = item.authorName
        text = item.text
        createdAt = item.createdAt
        fetchedAt = item.fetchedAt
        permalink = item.permalink
        isHidden = item.isHidden
        isBrand = item.isBrand
    }

    /// Read by column, not through `Decodable`: the decider reads every stored item, and GRDB's decoder cost
    /// more than the query.
    public init(row: Row) throws {
        id = row["id"]
        platform = row["platform"]
        platformID = row["platformID"]
        kind = row["kind"]
        sourceName = row["sourceName"]
        threadRootID = row["threadRootID"]
        parentID = row["parentID"]
        authorID = row["authorID"]
        authorName = row["authorName"]
        text = row["text"]
        createdAt = row["createdAt"]
        fetchedAt = row["fetchedAt"]
        permalink = row["permalink"]
        isHidden = row["isHidden"]
        isBrand = row["isBrand"]
    }

    public var item: Item {
        Item(
            platform: Platform(rawValue: platform) ?? .facebook, platformID: platformID,
            kind: ItemKind(rawValue: kind) ?? .comment, sourceName: sourceName, threadRootID: threadRootID,
            parentID: parentID, authorID: authorID, authorName: authorName, text: text, createdAt: createdAt,
            fetchedAt: fetchedAt, permalink: permalink, isHidden: isHidden, isBrand: isBrand)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
