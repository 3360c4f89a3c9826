import Foundation
import GRDB

/// A row of `decision`: what the analysis and the policies concluded for one item.
public struct DecisionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "decision"
    public var id: Int64?
    public var itemID: Int64
    public var phi: Bool
    public var score: Double
    public var subject: String
    /// JSON arrays of strings.
    public var categories: String
    public var actions: String
    public var rules: String
    public var priority: Int
    public var decidedAt: Date
    /// JSON arrays: the shadow rules that would have fired and the actions they would have added.
    public var shadowRules: String = "[]"
    public var shadowActions: String = "[]"

    public enum Columns {
        public static let itemID = Column(CodingKeys.itemID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `finding`: one span a recognizer found (type and offsets only, never the text).
public struct FindingRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "finding"
    public var id: Int64?
    public var decisionID: Int64
    public var type: String
    public var start: Int
    public var end: Int
    public var score: Double
    public var recognizer: String

    public init(id: Int64? = nil, decisionID: Int64, type: String, start: Int, end: Int, score: Double, recognizer: String) {
        self.id = id
        self.decisionID = decisionID
        self.type = type
        self.start = start
        self.end = end
        self.score = score
        self.recognizer = recognizer
    }

    public enum Columns {
        public static let decisionID = Column(CodingKeys.decisionID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
