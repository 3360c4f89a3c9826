import Crypto
import Foundation
import GRDB
import ThreadGuardCore

/// The audit log's hash chain: each row stores the hash of the row before it and a SHA-256 of its own content
/// and that previous hash, so an edited, deleted or reordered row breaks the chain where it happened.
enum AuditChain {
    static let genesis = String(repeating: "0", count: 64)

    /// The canonical content of a row, as hashed: a JSON array of its fields in a fixed order.
    static func content(id: Int64, atMilliseconds: Int64, actor: String, event: String, itemID: Int64?, ruleIDs: String,
                        before: String?, after: String?, detail: String?, prevHash: String) -> Data {
        func optional(_ text: String?) -> String { text.map(JSONText.quote) ?? "null" }
        let fields = [String(id), String(atMilliseconds), JSONText.quote(actor), JSONText.quote(event), itemID.map(String.init) ?? "null",
                      JSONText.quote(ruleIDs), optional(before), optional(after), optional(detail), JSONText.quote(prevHash)]
        return Data(("[" + fields.joined(separator: ",") + "]").utf8)
    }

    static func hash(_ data: Data) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(JSONText.hexDigits[Int(byte >> 4)])
            hex.append(JSONText.hexDigits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The newest row of the chain: what the next row links to.
    struct Tip {
        var id: Int64
        var hash: String
    }

    /// Appends one entry in the caller's transaction.
    static func append(_ db: Database, _ entry: AuditEntry) throws {
        var tip: Tip?
        try append(db, entry, tip: &tip)
    }

    /// Appends one entry in the caller's transaction, reading the chain's tip only when `tip` is nil and leaving
    /// the new row there: a batch in one transaction (nothing else can write in between) reads it once.
    static func append(_ db: Database, _ entry: AuditEntry, tip: inout Tip?) throws {
        if tip == nil {
            let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"))
            tip = Tip(id: last?["id"] ?? 0, hash: last?["hash"] ?? genesis)
        }
        let id = tip!.id + 1
        let prevHash = tip!.hash
        let ms = milliseconds(entry.at)
        let rules = JSONList.encode(entry.ruleIDs)
        let digest = hash(content(id: id, atMilliseconds: ms, actor: entry.actor, event: entry.event, itemID: entry.itemID,
                                  ruleIDs: rules, before: entry.before, after: entry.after, detail: entry.detail, prevHash: prevHash))
        try db.cachedStatement(sql: """
            INSERT INTO audit (id, at, actor, event, itemID, ruleIDs, before, after, detail, prevHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, ms, entry.actor, entry.event, entry.itemID, rules, entry.before, entry.after, entry.detail, prevHash, digest])
        tip = Tip(id: id, hash: digest)
    }
}

/// What `audit verify` found.
public struct AuditVerification: Sendable, Equatable {
    public var rows: Int
    /// The first problem, naming the row; nil when the chain is intact.
    public var problem: String?
    public var isIntact: Bool { problem == nil }
}

extension ThreadGuardDatabase {
    /// Walks the whole log and reports the first row where the chain breaks.
    public func verifyAudit() throws -> AuditVerification {
        try pool.read { db in
            var expectedPrev = AuditChain.genesis
            var previousID: Int64 = 0
            var count = 0
            let rows = try Row.fetchCursor(db, sql: "SELECT id, at, actor, event, itemID, ruleIDs, before, after, detail, prevHash, hash FROM audit ORDER BY id")
            while let row = try rows.next() {
                count += 1
                let id: Int64 = row["id"]
                if id != previousID + 1 {
                    return AuditVerification(rows: count, problem: "audit row \(id) follows row \(previousID): row \(previousID + 1)\(id > previousID + 2 ? "–\(id - 1)" : "") is missing (deleted)")
                }
                let prevHash: String? = row["prevHash"]
                if prevHash != expectedPrev {
                    return AuditVerification(rows: count, problem: "audit row \(id): its link to row \(previousID) does not match (rows reordered, replaced or edited)")
                }
                let ms: Int64 = row["at"]
                let digest = AuditChain.hash(AuditChain.content(
                    id: id, atMilliseconds: ms, actor: row["actor"], event: row["event"], itemID: row["itemID"], ruleIDs: row["ruleIDs"],
                    before: row["before"], after: row["after"], detail: row["detail"], prevHash: prevHash ?? ""))
                let stored: String? = row["hash"]
                if stored != digest {
                    return AuditVerification(rows: count, problem: "audit row \(id): its content does not match its hash (edited)")
                }
                expectedPrev = digest
                previousID = id
            }
            return AuditVerification(rows: count, problem: nil)
        }
    }

    /// Entries at or after `since`, oldest first, for export.
    public func auditEntries(since: Date) throws -> [AuditRecord] {
        try pool.read { db in
            try AuditRecord.fetchAll(db, sql: "SELECT * FROM audit WHERE at >= ? ORDER BY id", arguments: [AuditChain.milliseconds(since)])
        }
    }
}
