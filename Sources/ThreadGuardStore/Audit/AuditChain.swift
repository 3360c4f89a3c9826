import Crypto
import Foundation
import GRDB
import ThreadGuardCore

/// The audit log's hash chain: each row stores the hash of the row before it and a keyed hash (HMAC-SHA256, see
/// `AuditAnchor`) of its own content and that previous hash, so an edited, deleted or reordered row breaks the
/// chain where it happened, and no row can be rewritten with its hash recomputed without the key. Rows written
/// before keys existed carry a plain SHA-256 (`keyed` 0); once a keyed row exists, every later row must be keyed.
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

    /// The unkeyed hash of rows written before keys existed.
    static func hash(_ data: Data) -> String {
        hex(Data(SHA256.hash(data: data)))
    }

    static func hex(_ bytes: Data) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            hex.append(JSONText.hexDigits[Int(byte >> 4)])
            hex.append(JSONText.hexDigits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// The newest row of the chain: what the next row links to.
    struct Tip {
        var id: Int64
        var hash: String
    }

    /// Appends one entry in the caller's transaction, reading the chain's tip only when `tip` is nil and leaving
    /// the new row there: a batch in one transaction (nothing else can write in between) reads it once.
    static func append(_ db: Database, _ entry: AuditEntry, anchor: AuditAnchor, tip: inout Tip?) throws {
        if tip == nil {
            let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"))
            tip = Tip(id: last?["id"] ?? 0, hash: last?["hash"] ?? genesis)
        }
        let id = tip!.id + 1
        let prevHash = tip!.hash
        let ms = milliseconds(entry.at)
        let rules = JSONList.encode(entry.ruleIDs)
        let digest = anchor.rowHash(content(id: id, atMilliseconds: ms, actor: entry.actor, event: entry.event, itemID: entry.itemID,
                                            ruleIDs: rules, before: entry.before, after: entry.after, detail: entry.detail, prevHash: prevHash))
        try db.cachedStatement(sql: """
            INSERT INTO audit (id, at, actor, event, itemID, ruleIDs, before, after, detail, prevHash, hash, keyed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            """).execute(arguments: [id, ms, entry.actor, entry.event, entry.itemID, rules, entry.before, entry.after, entry.detail, prevHash, digest])
        tip = Tip(id: id, hash: digest)
    }
}
