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
    /// The end of the last poll that read everything it asked for.
    public var lastSuccessAt: Date?
    /// The first failure of the current run of failures (nil while polls succeed).
    public var failingSince: Date?
    /// The kind of the last failure (`needs_new_token`, `rate_limited`, `temporary`, `permanent`).
    public var errorKind: String?
    /// The API budget the platform last reported, as JSON (`APIBudget`), or nil.
    public var apiBudget: String?

    public enum Columns {
        public static let name = Column(CodingKeys.name)
    }

    public init(name: String, connector: String, account: String, needsToken: Bool = false, lastError: String? = nil, lastPolledAt: Date? = nil,
                lastSuccessAt: Date? = nil, failingSince: Date? = nil, errorKind: String? = nil) {
        self.name = name
        self.connector = connector
        self.account = account
        self.needsToken = needsToken
        self.lastError = lastError
        self.lastPolledAt = lastPolledAt
        self.lastSuccessAt = lastSuccessAt
        self.failingSince = failingSince
        self.errorKind = errorKind
    }

    /// Whether a person must act: a refused token, a failure retrying will not mend, or failures lasting longer than
    /// `window` (passing network trouble within it is retried by the next runs and only reported).
    public func needsPerson(window: TimeInterval, now: Date = Date()) -> Bool {
        if needsToken { return true }
        guard let failingSince else { return false }
        if let errorKind, !["temporary", "rate_limited"].contains(errorKind) { return true }
        return now.timeIntervalSince(failingSince) >= window
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
