import Foundation
import ThreadGuardCore

/// The review queue's SQL, worked out once from a filter for both stores: the conditions with `?` for each value
/// (the SQLite store binds them as they are, the PostgreSQL store numbers them), the tables, the order and the page.
struct QueueQuery {
    /// The filter's conditions but the status (the status counts are taken under these alone).
    let conditions: [String]
    let values: [CopyValue]
    /// The one status the filter asks for.
    let status: String?
    let from: String
    let order: String
    let size: Int
    let offset: Int
    /// A search: the store may read the matches once, in the page's order, and count and page them itself.
    let pagesMatches: Bool

    enum Dialect { case sqlite, postgres }

    init(_ filter: QueueFilter, now: Date, dialect: Dialect) {
        var conditions: [String] = [], values: [CopyValue] = []
        func add(_ condition: String, _ value: CopyValue) {
            conditions.append(condition)
            values.append(value)
        }
        // Each group of near-identical comments shows once (its lead), unless the filter picks items by where they
        // were posted: then a group's items on other platforms or sources would hide the ones asked for.
        if filter.isGrouped { conditions.append(dialect == .sqlite ? Self.sqliteLead : "r.groupLead") }
        let words = QueueSearch.words(filter.search ?? "")
        if !words.isEmpty {
            switch dialect {
            case .sqlite: add("r.itemID IN (SELECT rowid FROM review_search WHERE review_search MATCH ?)", .text(QueueSearch.fts5(words)))
            case .postgres: add("to_tsvector('simple', i.text) @@ to_tsquery('simple', ?)", .text(QueueSearch.tsquery(words)))
            }
        }
        if filter.unassigned { conditions.append("r.assignee IS NULL") }
        if let category = filter.category { add("r.category = ?", .text(category)) }
        if let platform = filter.platform { add("i.platform = ?", .text(platform)) }
        if let source = filter.source { add("i.sourceName = ?", .text(source)) }
        if let minPriority = filter.minPriority { add("r.priority >= ?", .int(Int64(minPriority))) }
        if let hours = filter.maxAgeHours { add("i.createdAt >= ?", .date(now.addingTimeInterval(-Double(hours) * 3600))) }
        if let assignee = filter.assignee { add("r.assignee = ?", .text(assignee)) }
        (self.conditions, self.values, status) = (conditions, values, filter.status)
        // The item table is joined only when a filter or the order needs it; the page's ids are chosen first (using the
        // review indexes), and only those rows get their details.
        let needsItem = filter.platform != nil || filter.source != nil || filter.maxAgeHours != nil || filter.sort != .priority
            || (dialect == .postgres && !words.isEmpty)
        from = needsItem ? "review r JOIN item i ON i.id = r.itemID" : "review r"
        order = switch filter.sort {
        case .priority: "r.priority DESC, r.openedAt ASC, r.itemID ASC"
        case .due: "r.dueAt ASC, r.itemID ASC"
        case .newest: "i.createdAt DESC, r.itemID DESC"
        case .oldest: "i.createdAt ASC, r.itemID ASC"
        }
        pagesMatches = !words.isEmpty
        size = max(1, min(200, filter.pageSize))
        offset = (min(max(1, filter.page), QueueFilter.maxPage) - 1) * size
    }

    /// The tables and every condition but the status (values: `values`).
    var underConditions: String {
        from + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
    }

    /// Counts per status under the filter's other conditions (values: `values`).
    var statusCountsSQL: String { "SELECT r.status, COUNT(*) AS n FROM \(underConditions) GROUP BY r.status" }

    /// Every condition, the status's too, and their values.
    var whereClause: String {
        let all = conditions + (status == nil ? [] : ["r.status = ?"])
        return all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND ")
    }
    var allValues: [CopyValue] { values + (status.map { [.text($0)] } ?? []) }

    /// A search's matches under every condition but the status, each with what the counts and the default order need.
    /// Read once, they give both the counts per status and the page: a search matches a small part of the queue,
    /// and counting and paging it in two queries visited each match twice (twice the time, on 100,000 items).
    var matchesSQL: String? {
        guard pagesMatches else { return nil }
        return "SELECT r.itemID, r.status FROM \(underConditions) ORDER BY \(order)"
    }

    /// The counts per status and the page's ids, from the matches in the page's order.
    func page(of matches: [(itemID: Int64, status: String)]) -> (statusCounts: [String: Int], ids: [Int64]) {
        var counts: [String: Int] = [:]
        var chosen: [Int64] = []
        for match in matches {
            counts[match.status, default: 0] += 1
            if status == nil || match.status == status { chosen.append(match.itemID) }
        }
        return (counts, Array(chosen.dropFirst(offset).prefix(size)))
    }

    /// The rows matching: the count of the status asked for (counted under the same other conditions), or of all.
    func total(_ statusCounts: [String: Int]) -> Int {
        status.map { statusCounts[$0] ?? 0 } ?? statusCounts.values.reduce(0, +)
    }

    /// SQLite: counts per status from `review_tally` when the filter has no condition but grouping (nil otherwise).
    var tallyStatusCountsSQL: String? {
        guard conditions.allSatisfy({ $0 == Self.sqliteLead }) else { return nil }
        return "SELECT status, SUM(n) AS n FROM review_tally" + (conditions.isEmpty ? "" : " WHERE groupLead = 1") + " GROUP BY status HAVING SUM(n) > 0"
    }

    /// SQLite: open items per category, from `review_tally`.
    static let tallyCategoryCountsSQL = "SELECT category, SUM(n) AS n FROM review_tally WHERE status = 'open' GROUP BY category HAVING SUM(n) > 0"
    static let sqliteLead = "r.groupLead = 1"
    var pageIDsSQL: String { "SELECT r.itemID FROM \(from)" + whereClause + " ORDER BY " + order + " LIMIT \(size) OFFSET \(offset)" }

    static let categoryCountsSQL = "SELECT category, COUNT(*) AS n FROM review WHERE status = 'open' GROUP BY category"

    /// The page's rows, before the condition choosing the page's ids.
    static let detailSQL = """
        SELECT r.itemID, r.status, r.priority, r.category, r.categories, r.assignee, r.groupKey, r.target, r.dueAt, r.closedBy,
               i.platform, i.sourceName, i.kind,
               i.authorName, i.text, i.createdAt, d.id AS decisionID, d.phi,
               EXISTS (SELECT 1 FROM action a WHERE a.itemID = r.itemID AND a.status = 'draft') AS hasDraft,
               EXISTS (SELECT 1 FROM action a WHERE a.itemID = r.itemID AND a.status = 'dead') AS hasDead
        FROM review r JOIN item i ON i.id = r.itemID LEFT JOIN decision d ON d.itemID = r.itemID
        """
}

extension QueueQuery {
    /// How many items of each platform the groups on a page hold, in the status of their lead (keys checked hex).
    static func groupCountsSQL(_ keys: Set<String>) -> String? {
        let valid = keys.filter(ReviewGroups.isKey).sorted()
        guard !valid.isEmpty else { return nil }
        return """
            SELECT r.groupKey, r.status, i.platform, COUNT(*) AS n FROM review r JOIN item i ON i.id = r.itemID
            WHERE r.groupKey IN (\(valid.map { "'\($0)'" }.joined(separator: ","))) GROUP BY r.groupKey, r.status, i.platform
            """
    }

    /// The items of one group in one status (values: key, status), oldest first.
    static let groupMembersSQL = """
        SELECT r.itemID, r.status, i.platform, i.authorName, i.createdAt FROM review r JOIN item i ON i.id = r.itemID
        WHERE r.groupKey = ? AND r.status = ? ORDER BY r.itemID LIMIT 500
        """
}

/// Queries both stores run as they are.
enum SharedSQL {
    /// Items a policy escalated whose review is still open (`status`'s crisis list).
    static let crisisItems = """
        SELECT i.id, i.platform, i.sourceName, r.categories, r.priority, r.openedAt,
               (SELECT a.ruleIDs FROM action a WHERE a.itemID = i.id AND a.kind = 'escalate' ORDER BY a.id LIMIT 1) AS ruleIDs
        FROM review r JOIN item i ON i.id = r.itemID
        WHERE r.status IN ('open', 'escalated')
          AND EXISTS (SELECT 1 FROM action a WHERE a.itemID = r.itemID AND a.kind = 'escalate' AND a.status = 'open')
        ORDER BY r.openedAt, i.id
        """
}
