import Foundation
import GRDB

/// A row of `review`: a flagged item in the social team's queue.
public struct ReviewRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "review"
    public var itemID: Int64
    /// open, resolved, dismissed, escalated.
    public var status: String
    public var priority: Int
    /// The first category (or "phi", or "other"): what the queue filters on.
    public var category: String
    /// JSON array of every category.
    public var categories: String
    public var assignee: String?
    public var openedAt: Date
    public var updatedAt: Date
    /// When a person first acted on it (for time to first action).
    public var firstActionAt: Date?
    /// Near-identical comments share it (nil: a group of its own).
    public var groupKey: String?
    /// The lowest item number of its group and status: the one the grouped queue shows.
    public var groupLead: Bool
    /// crisis, adverse_event or other: which response target applies.
    public var target: String
    /// When a person must first act (nil: queued before targets existed).
    public var dueAt: Date?
    /// "automation" when the workflow closed it after doing everything it queued.
    public var closedBy: String?
}

/// A row of `user`: someone who signs in to the review page.
public struct UserRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "user"
    public var name: String
    /// bcrypt.
    public var passwordHash: String
    /// reviewer, lead, admin.
    public var role: String
    public var createdAt: Date
}

/// A row of `session`: a signed-in browser. Only the token's SHA-256 is stored.
public struct SessionRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"
    public var tokenHash: String
    public var userName: String
    public var csrf: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, userName: String, csrf: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userName = userName
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A row of `undo`: the last thing a person did and the state before it.
public struct UndoRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "undo"
    public var userName: String
    public var itemID: Int64
    public var action: String
    /// JSON of what to restore.
    public var state: String
    public var at: Date
}
