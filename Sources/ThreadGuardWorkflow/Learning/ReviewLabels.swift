import Foundation
import ThreadGuardCore
import ThreadGuardStore

/// The review queue's outcomes as labelled comments (GUIDELINES.md's format), for `model train`:
/// - dismissed: a false alarm — no PHI, no category, nothing to hide or answer (identifiers: not known);
/// - unhidden by a person: the hide was wrong — not hidden, not PHI (identifiers: not known);
/// - approved, hidden or escalated: the decision stood — its PHI verdict, categories, identifier findings and actions.
/// Whose health is not known from a review (`about` null). Each line counts half a hand-labelled comment (`weight`).
public enum ReviewLabels {
    public static let weight = 0.5

    public struct Export: Sendable {
        public var lines: [String]
        public var dismissed = 0, unhidden = 0, confirmed = 0
    }

    /// `withText`: include the comment and its thread (the file then holds PHI and stays on this machine);
    /// without, ids and labels only.
    public static func export(_ outcomes: [ReviewOutcome], withText: Bool) throws -> Export {
        var out = Export(lines: [])
        for outcome in outcomes {
            let item = outcome.item
            let decidedActions = Set(outcome.decision.map { JSONList.strings($0.actions) } ?? [])
            var row: [String: Any] = [
                "id": "review:\(item.platform):\(item.platformID)", "platform": item.platform, "kind": item.kind, "about": NSNull(),
                "weight": weight, "world": "reviews",
            ]
            if withText {
                row["text"] = item.text
                row["context"] = outcome.ancestors.map { ["role": $0.isBrand ? "brand" : "user", "text": $0.text] }
            } else {
                row["text"] = NSNull()
                row["context"] = []
            }
            let confirmed = outcome.review.status != "dismissed" && !outcome.unhidden
            if confirmed {
                out.confirmed += 1
                row["outcome"] = outcome.review.status == "escalated" ? "escalated" : "confirmed"
                row["phi"] = outcome.decision?.phi ?? false
                row["categories"] = outcome.decision.map { JSONList.strings($0.categories) } ?? []
                row["spans"] = outcome.findings.filter { $0.type != "HEALTH" }.map { ["start": $0.start, "end": $0.end, "type": $0.type] }
                row["hide"] = decidedActions.contains("hide")
                row["private_reply"] = decidedActions.contains("private_reply") || decidedActions.contains("public_reply")
            } else {
                if outcome.review.status == "dismissed" { out.dismissed += 1 } else { out.unhidden += 1 }
                row["outcome"] = outcome.review.status == "dismissed" ? "dismissed" : "unhidden"
                row["phi"] = false
                row["categories"] = outcome.review.status == "dismissed" ? [] : (outcome.decision.map { JSONList.strings($0.categories) } ?? [])
                row["spans"] = NSNull()
                row["hide"] = false
                row["private_reply"] = false
            }
            out.lines.append(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
        }
        return out
    }
}

enum JSONList {
    static func strings(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }
}
