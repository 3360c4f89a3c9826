import Foundation
import GRDB

/// A comment a person has worked in the review queue, with what the workflow decided and what the person did.
public struct ReviewOutcome: Sendable {
    public var item: ItemRecord
    public var decision: DecisionRecord?
    public var findings: [FindingRecord]
    public var review: ReviewRecord
    /// A person asked to show it again (the hide was a false alarm).
    public var unhidden: Bool
    /// The post and comments above it, root first.
    public var ancestors: [ItemRecord]
}

extension ThreadGuardDatabase {
    /// Items a person resolved, dismissed or escalated since `since`, oldest first (not those the automation closed:
    /// nobody judged them).
    public func reviewOutcomes(since: Date) throws -> [ReviewOutcome] {
        let reviews = try pool.read { db in
            try ReviewRecord.fetchAll(db, sql: """
                SELECT * FROM review WHERE status IN ('resolved', 'dismissed', 'escalated') AND closedBy IS NULL AND updatedAt >= ? ORDER BY updatedAt, itemID
                """, arguments: [StoredDate.value(since)])
        }
        return try reviews.compactMap { review in
            guard let item = try item(id: review.itemID) else { return nil }
            let ancestors = try self.ancestors(of: item)
            return try pool.read { db in
                let decision = try DecisionRecord.filter(DecisionRecord.Columns.itemID == review.itemID).fetchOne(db)
                let findings = try decision.flatMap(\.id).map { try FindingRecord.filter(FindingRecord.Columns.decisionID == $0).fetchAll(db) } ?? []
                // A person's unhide: an unhide action with no rule behind it, not withdrawn.
                let unhidden = try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM action WHERE itemID = ? AND kind = 'unhide' AND ruleIDs = '[]' AND status != 'cancelled')
                    """, arguments: [review.itemID]) ?? false
                return ReviewOutcome(item: item, decision: decision, findings: findings, review: review, unhidden: unhidden, ancestors: ancestors)
            }
        }
    }
}
