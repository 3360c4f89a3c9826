import Foundation
import GRDB

/// A row of `source`: one configured account on one platform.
public struct SourceRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "source"
    public var name: String
    public var connector: String
    public var account: String
    /// Set when the platform refused the token; cleared by the next successful poll.
    public var needsToken: Bool
    public var lastError: String?
    public var lastPolledAt: Date?

    public enum Columns {
        public static let name = Column(CodingKeys.name)
    }

    public init(name: String, connector: String, account: String, needsToken: Bool = false, lastError: String? = nil, lastPolledAt: Date? = nil) {
        self.name = name
        self.connector = connector
        self.account = account
        self.needsToken = needsToken
        self.lastError = lastError
        self.lastPolledAt = lastPolledAt
    }
}

/// A row of `cursor`: how far one stream of one source has been read.
public struct CursorRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cursor"
    public var sourceName: String
    public var stream: String
    public var position: String
    public var updatedAt: Date

    public enum Columns {
        public static let sourceName = Column(CodingKeys.sourceName)
        public static let stream = Column(CodingKeys.stream)
    }
}
