import Foundation
import GRDB
import ThreadGuardCore

/// A row of `action`, the outbox: one thing to do on a platform or inside ThreadGuard.
public struct ActionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "action"
    public var id: Int64?
    public var itemID: Int64
    public var kind: String
    /// Unique per intended effect, so that a repeated decision never queues a second one.
    public var idempotencyKey: String
    public var status: String
    public var attempts: Int
    /// Reply text for replies (drafted from templates, never from the comment).
    public var payload: String?
    public var ruleIDs: String
    public var createdAt: Date
    public var updatedAt: Date
    public var lastError: String?
    /// The platform's id for what the action created (a message id), once done.
    public var platformRef: String?
    /// The reply template a reply was drafted from.
    public var template: String?
    /// The executor that claimed the action (only it may send it or record its outcome), while it is sending.
    public var owner: String?
    /// When `owner` claimed it.
    public var claimedAt: Date?

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let status = Column(CodingKeys.status)
        public static let kind = Column(CodingKeys.kind)
        public static let itemID = Column(CodingKeys.itemID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// A reply a person can approve: drafted, or given up and to be tried again.
    public var awaitsApproval: Bool {
        (kind == ActionKind.privateReply.rawValue || kind == ActionKind.publicReply.rawValue)
            && (status == ActionStatus.draft.rawValue || status == ActionStatus.dead.rawValue)
    }
}

/// A row of `audit`: the append-only log.
public struct AuditRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit"
    public var id: Int64?
    /// Milliseconds since 1970 (hashed exactly).
    public var at: Int64
    public var actor: String
    public var event: String
    public var itemID: Int64?
    public var ruleIDs: String
    public var before: String?
    public var after: String?
    public var detail: String?
    public var prevHash: String
    public var hash: String

    public var date: Date { Date(timeIntervalSince1970: Double(at) / 1000) }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
