import Foundation

/// One value of a stored row on its way from one store to the other (`threadguard migrate`).
public enum CopyValue: Sendable, Equatable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case bool(Bool)
    case date(Date)
}

/// The tables both stores hold, their keys and columns with their kinds, in an order where every row's references
/// come before it. The one list `migrate` copies and compares by.
public enum StoreTables {
    public enum Kind: Sendable { case int, real, text, bool, date }

    public struct Table: Sendable {
        public let name: String
        /// The conflict target: a row whose key is already there is skipped (a rerun copies only what is missing).
        public let key: [String]
        public let columns: [(name: String, kind: Kind)]
        /// The identity column whose sequence must continue after the copied ids.
        public let identity: String?
    }

    static func table(_ name: String, key: [String], identity: String? = nil, _ columns: [(String, Kind)]) -> Table {
        Table(name: name, key: key, columns: columns.map { (name: $0.0, kind: $0.1) }, identity: identity)
    }

    public static let all: [Table] = [
        table("source", key: ["name"], [("name", .text), ("connector", .text), ("account", .text), ("needsToken", .bool), ("lastError", .text),
                                         ("lastPolledAt", .date), ("lastSuccessAt", .date), ("failingSince", .date), ("errorKind", .text),
                                         ("apiBudget", .text)]),
        table("cursor", key: ["sourceName", "stream"], [("sourceName", .text), ("stream", .text), ("position", .text), ("updatedAt", .date)]),
        table("item", key: ["id"], identity: "id", [
            ("id", .int), ("platform", .text), ("platformID", .text), ("kind", .text), ("sourceName", .text), ("threadRootID", .text),
            ("parentID", .text), ("authorID", .text), ("authorName", .text), ("text", .text), ("createdAt", .date), ("fetchedAt", .date),
            ("permalink", .text), ("isHidden", .bool), ("isBrand", .bool)]),
        table("decision", key: ["id"], identity: "id", [
            ("id", .int), ("itemID", .int), ("phi", .bool), ("score", .real), ("subject", .text), ("categories", .text), ("actions", .text),
            ("rules", .text), ("priority", .int), ("decidedAt", .date), ("shadowRules", .text), ("shadowActions", .text)]),
        table("finding", key: ["id"], identity: "id", [("id", .int), ("decisionID", .int), ("type", .text), ("start", .int), ("end", .int),
                                                       ("score", .real), ("recognizer", .text)]),
        table("action", key: ["id"], identity: "id", [
            ("id", .int), ("itemID", .int), ("kind", .text), ("idempotencyKey", .text), ("status", .text), ("attempts", .int), ("payload", .text),
            ("ruleIDs", .text), ("createdAt", .date), ("updatedAt", .date), ("lastError", .text), ("platformRef", .text), ("template", .text),
            ("owner", .text), ("claimedAt", .date)]),
        table("audit", key: ["id"], [("id", .int), ("at", .int), ("actor", .text), ("event", .text), ("itemID", .int), ("ruleIDs", .text),
                                     ("before", .text), ("after", .text), ("detail", .text), ("prevHash", .text), ("hash", .text), ("keyed", .int)]),
        table("adverse_event", key: ["id"], identity: "id", [
            ("id", .int), ("itemID", .int), ("platform", .text), ("platformID", .text), ("permalink", .text), ("awareAt", .date), ("dueAt", .date),
            ("status", .text), ("reporterIdentifiable", .bool), ("reporterHandle", .text), ("patientIdentifiable", .bool),
            ("patientRelation", .text), ("suspectProducts", .text), ("eventTerms", .text), ("ruleIDs", .text), ("createdAt", .date)]),
        table("review", key: ["itemID"], [("itemID", .int), ("status", .text), ("priority", .int), ("category", .text), ("categories", .text),
                                          ("assignee", .text), ("openedAt", .date), ("updatedAt", .date), ("firstActionAt", .date),
                                          ("groupKey", .text), ("groupLead", .bool), ("target", .text), ("dueAt", .date), ("closedBy", .text)]),
        table("user", key: ["name"], [("name", .text), ("passwordHash", .text), ("role", .text), ("createdAt", .date)]),
        table("session", key: ["tokenHash"], [("tokenHash", .text), ("userName", .text), ("csrf", .text), ("createdAt", .date), ("expiresAt", .date)]),
        table("undo", key: ["userName"], [("userName", .text), ("itemID", .int), ("action", .text), ("state", .text), ("at", .date)]),
        table("meta", key: ["key"], [("key", .text), ("value", .text)]),
        table("alert", key: ["id"], identity: "id", [
            ("id", .int), ("key", .text), ("channel", .text), ("kind", .text), ("payload", .text), ("status", .text), ("attempts", .int),
            ("owner", .text), ("lastError", .text), ("createdAt", .date), ("updatedAt", .date)]),
        table("metric", key: ["name", "labels"], [("name", .text), ("labels", .text), ("value", .real)]),
    ]
}
