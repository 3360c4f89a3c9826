import Crypto
import Foundation

/// Near-identical comments (the same words, whatever the case, accents, punctuation, emoji, links and mentions)
/// share a group key; the queue shows each group once, as its lowest-numbered item of a status (the group's lead).
public enum ReviewGroups {
    /// The key of a comment's text: 16 hex digits of the SHA-256 of its normalised words; nil when no word is left.
    public static func key(of text: String) -> String? {
        let normalised = normalisedWords(text)
        guard !normalised.isEmpty else { return nil }
        return SHA256.hash(data: Data(normalised.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    static func normalisedWords(_ text: String) -> String {
        var words: [String] = []
        for raw in text.split(whereSeparator: \.isWhitespace) {
            let lower = raw.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") || lower.hasPrefix("@") { continue }
            let folded = lower.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
            let kept = String(String.UnicodeScalarView(folded.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
            if !kept.isEmpty { words.append(kept) }
        }
        return words.joined(separator: " ")
    }

    static func isKey(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    // Each (group, status) has one lead, its lowest item number. The statements below keep that true as rows come and
    // go, touching only leads (found through the partial index `review_group_lead`) and single rows found by
    // (groupKey, status, itemID): a campaign of ten thousand items costs a few index seeks per change, not a scan.
    // Keys are checked to be keys (hex) and statuses to be statuses before they are written into the statements.

    static let statuses = ["open", "escalated", "resolved", "dismissed"]

    /// A lead with a lower-numbered item beside it (same group and status) leads no more.
    static func demoteSQL(_ keys: Set<String>, dialect: QueueQuery.Dialect) -> String? {
        let valid = keys.filter(isKey).sorted()
        guard !valid.isEmpty else { return nil }
        return """
            UPDATE review SET groupLead = FALSE
            WHERE groupKey IN (\(valid.map { "'\($0)'" }.joined(separator: ","))) AND \(dialect == .sqlite ? "groupLead = 1" : "groupLead")
              AND EXISTS (SELECT 1 FROM review r2 WHERE r2.groupKey = review.groupKey AND r2.status = review.status AND r2.itemID < review.itemID)
            """
    }

    /// The lowest-numbered item of a group in a status leads it.
    static func promoteSQL(_ key: String, status: String) -> String? {
        guard isKey(key), statuses.contains(status) else { return nil }
        return "UPDATE review SET groupLead = TRUE WHERE itemID = (SELECT MIN(itemID) FROM review WHERE groupKey = '\(key)' AND status = '\(status)')"
    }

    /// After new rows joined these groups (each new row starts as a lead).
    static func joinedSQL(_ keys: Set<String>, dialect: QueueQuery.Dialect) -> [String] {
        demoteSQL(keys, dialect: dialect).map { [$0] } ?? []
    }

    /// After one item moved from one status to another: the status it left gets its next lead; in the one it joined,
    /// it leads if it is the lowest-numbered there.
    static func movedSQL(_ key: String?, itemID: Int64, from old: String, dialect: QueueQuery.Dialect) -> [String] {
        guard let key, isKey(key) else { return [] }
        return [promoteSQL(key, status: old), "UPDATE review SET groupLead = TRUE WHERE itemID = \(itemID)", demoteSQL([key], dialect: dialect)].compactMap { $0 }
    }

    /// After rows of these groups were removed (retention): every status of each group gets its lead again.
    static func repairedSQL(_ keys: Set<String>, dialect: QueueQuery.Dialect) -> [String] {
        keys.filter(isKey).sorted().flatMap { key in statuses.compactMap { promoteSQL(key, status: $0) } } + joinedSQL(keys, dialect: dialect)
    }
}

/// A search typed into the queue: its words (letters and digits only, at most eight), each matched as a word prefix.
public enum QueueSearch {
    public static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { !$0.isEmpty }.prefix(8).map { $0 }
    }

    /// SQLite FTS5: every word, as a quoted prefix.
    static func fts5(_ words: [String]) -> String { words.map { "\"\($0)\"*" }.joined(separator: " ") }

    /// PostgreSQL: every word, as a prefix, all of them.
    static func tsquery(_ words: [String]) -> String { words.map { "\($0):*" }.joined(separator: " & ") }
}

/// Queries both stores run as they are (continued).
extension SharedSQL {
    /// Closes an open item nobody has acted on once the automation did everything it queued: no action is left
    /// undone (drafted, waiting, failed, an escalation or intake open for a person) and no adverse-event intake is
    /// open. The `review` and `label` actions only file the item in a queue, so they do not keep it open; an item
    /// whose rules asked only for review has nothing done and stays for a person. Reopenable.
    static let autoClose = """
        UPDATE review SET status = 'resolved', closedBy = 'automation', updatedAt = ?
        WHERE itemID = ? AND status = 'open' AND firstActionAt IS NULL
          AND EXISTS (SELECT 1 FROM action a WHERE a.itemID = review.itemID AND a.status = 'done')
          AND NOT EXISTS (SELECT 1 FROM action a WHERE a.itemID = review.itemID AND a.status NOT IN ('done', 'cancelled')
                                                      AND a.kind NOT IN ('review', 'label'))
          AND NOT EXISTS (SELECT 1 FROM adverse_event e WHERE e.itemID = review.itemID AND e.status = 'open')
        """

    /// Items waiting past their response target (nobody has acted yet), per target.
    static let waitingPastTarget = """
        SELECT target, COUNT(*) AS n FROM review WHERE status = 'open' AND firstActionAt IS NULL AND dueAt < ? GROUP BY target
        """

    /// Items first acted on after their response target, per target, since a moment.
    static let answeredLate = """
        SELECT target, COUNT(*) AS n FROM review WHERE firstActionAt IS NOT NULL AND firstActionAt > dueAt AND firstActionAt >= ? GROUP BY target
        """
}

/// Items per platform of a group in one status, as the queue's group-counts query returns them.
struct GroupCount {
    var key: String
    var status: String
    var platform: String
    var count: Int

    /// Sets each row's group size and platforms from the counts of its group in its status.
    static func apply(_ counts: [GroupCount], to rows: inout [QueueRow]) {
        var byGroup: [String: [GroupCount]] = [:]
        for count in counts { byGroup[count.key + "|" + count.status, default: []].append(count) }
        for index in rows.indices {
            guard let key = rows[index].groupKey, let counts = byGroup[key + "|" + rows[index].status] else { continue }
            rows[index].groupCount = counts.reduce(0) { $0 + $1.count }
            rows[index].groupPlatforms = counts.map(\.platform).sorted()
        }
    }
}

/// What a reveal's audit row says: which finding (its number and kind, never its text) was shown.
public enum RevealNote {
    public static func detail(_ finding: FindingRecord?) -> String? {
        finding.map { "finding \($0.id ?? 0) (\($0.type))" }
    }

    /// The finding a reveal's audit row names (nil: the whole item was shown).
    public static func findingID(_ detail: String?) -> Int64? {
        guard let detail, detail.hasPrefix("finding ") else { return nil }
        return Int64(detail.dropFirst(8).prefix { $0.isNumber })
    }
}
