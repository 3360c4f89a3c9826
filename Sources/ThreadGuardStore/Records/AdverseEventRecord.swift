import Foundation
import GRDB

/// A row of `adverse_event`: the intake record a possible adverse event opens for the safety team, with the four
/// minimum criteria of a reportable case filled from the findings where possible.
public struct AdverseEventRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "adverse_event"
    public var id: Int64?
    public var itemID: Int64
    public var platform: String
    public var platformID: String
    public var permalink: String?
    /// When the company became aware: the moment the comment was first fetched. The reporting clock starts here.
    public var awareAt: Date
    public var dueAt: Date
    /// open, reported, closed
    public var status: String
    /// Criterion 1: an identifiable reporter (the commenter's public account).
    public var reporterIdentifiable: Bool
    public var reporterHandle: String
    /// Criterion 2: an identifiable patient (the commenter, a relative, a named person).
    public var patientIdentifiable: Bool
    public var patientRelation: String
    /// Criterion 3: a suspect product (JSON list of product names found).
    public var suspectProducts: String
    /// Criterion 4: an adverse event (JSON list of the health terms found).
    public var eventTerms: String
    public var ruleIDs: String
    public var createdAt: Date

    public enum Columns {
        public static let status = Column(CodingKeys.status)
        public static let awareAt = Column(CodingKeys.awareAt)
    }

    /// All four criteria met: a valid case to report.
    public var isComplete: Bool {
        reporterIdentifiable && patientIdentifiable && suspectProducts != "[]" && eventTerms != "[]"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
