import Foundation

/// Walks an audit chain row by row, for either store: ids follow each other, each row links to the one before, once a
/// row is keyed every later one is, and each row's content matches its hash.
struct AuditChainWalker {
    let anchor: AuditAnchor
    private(set) var count = 0
    private(set) var previousID: Int64 = 0
    private var expectedPrev = AuditChain.genesis
    private var keyedSeen = false

    init(anchor: AuditAnchor) { self.anchor = anchor }

    /// The problem with this row, nil when it continues the chain.
    mutating func check(id: Int64, atMilliseconds ms: Int64, actor: String, event: String, itemID: Int64?, ruleIDs: String,
                        before: String?, after: String?, detail: String?, prevHash: String, hash: String, keyed: Bool) -> String? {
        count += 1
        if id != previousID + 1 {
            return "audit row \(id) follows row \(previousID): row \(previousID + 1)\(id > previousID + 2 ? "–\(id - 1)" : "") is missing (deleted)"
        }
        if prevHash != expectedPrev {
            return "audit row \(id): its link to row \(previousID) does not match (rows reordered, replaced or edited)"
        }
        if keyedSeen && !keyed { return "audit row \(id) is not keyed although the rows before it are (rewritten without the key)" }
        keyedSeen = keyedSeen || keyed
        let content = AuditChain.content(id: id, atMilliseconds: ms, actor: actor, event: event, itemID: itemID, ruleIDs: ruleIDs,
                                         before: before, after: after, detail: detail, prevHash: prevHash)
        if hash != (keyed ? anchor.rowHash(content) : AuditChain.hash(content)) {
            return "audit row \(id): its content does not match its \(keyed ? "keyed hash" : "hash") (edited)"
        }
        expectedPrev = hash
        previousID = id
        return nil
    }

    /// The chain agrees with every genuine checkpoint still in force: none is past the last row (truncation), and each
    /// names a row whose hash it holds (recomputation). `lines` are the checkpoint file's (`anchor.checkpoints`, nil
    /// without one); `storedHashes` reads the hashes of the rows asked for.
    static func hold(_ verified: AuditVerification, lastID: Int64, asBackup: Bool, anchor: AuditAnchor, lines: [AuditAnchor.CheckpointLine]?,
                     storedHashes: (Set<Int64>) throws -> [Int64: String]) throws -> AuditVerification {
        var verification = verified
        guard let lines else {
            if lastID > 0 {
                verification.problem = "no checkpoint of this log was found at \(anchor.checkpointPath): deleted rows at its end could not be detected. Restore the checkpoint file, or compare the head with the 'audit checkpoint' lines of the logs (audit verify --head SEQ:HASH)"
            }
            return verification
        }
        var inForce: [AuditCheckpoint] = []
        for line in lines {
            guard let checkpoint = line.checkpoint, line.genuine else {
                verification.problem = "line \(line.line) of the checkpoint file \(anchor.checkpointPath) is not signed by this log's key (edited or forged)"
                return verification
            }
            if checkpoint.kind == "restore" {
                inForce.removeAll { $0.seq > checkpoint.seq }
                verification.acknowledged.append("rows \(checkpoint.seq + 1)–\(checkpoint.lost ?? checkpoint.seq) lost in a restore acknowledged by \(checkpoint.by ?? "?") at \(checkpoint.at)")
            }
            inForce.append(checkpoint)
        }
        if asBackup, inForce.contains(where: { $0.seq > lastID }) {
            let later = inForce.filter { $0.seq > lastID }
            verification.acknowledged.append("\(later.count) checkpoint(s) of rows \(lastID + 1)–\(later.map(\.seq).max() ?? lastID) were written after this backup was taken")
            inForce.removeAll { $0.seq > lastID }
        }
        guard let latest = inForce.max(by: { $0.seq < $1.seq }) else { return verification }
        if latest.seq > lastID {
            let what = lastID == 0 ? "every row (1–\(latest.seq)) is missing" : "rows \(lastID + 1)–\(latest.seq) are missing"
            verification.problem = "\(what): the log was truncated after its checkpoint of \(latest.at) (row \(latest.seq))"
            return verification
        }
        let hashes = try storedHashes(Set(inForce.map(\.seq)))
        for checkpoint in inForce where checkpoint.seq > 0 && hashes[checkpoint.seq] != checkpoint.hash {
            verification.problem = "audit row \(checkpoint.seq) does not match its signed checkpoint of \(checkpoint.at) (rows rewritten and their hashes recomputed)"
            return verification
        }
        verification.anchor = "row \(latest.seq) matches the signed checkpoint of \(latest.at) (key \(anchor.fingerprint), \(anchor.checkpointPath))"
        return verification
    }

}
