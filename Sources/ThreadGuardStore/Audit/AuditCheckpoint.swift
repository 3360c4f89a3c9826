import Crypto
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// One signed line of the checkpoint file.
/// - `head`: after a transaction, the log's last row and its hash;
/// - `restore`: a person acknowledged that the database was restored from a backup whose last row is `seq`, and
///   that the rows after it up to `lost` are gone; checkpoints before this line beyond `seq` no longer count.
public struct AuditCheckpoint: Codable, Sendable, Equatable {
    public var kind: String
    public var db: String
    public var seq: Int64
    public var hash: String
    public var at: String
    public var lost: Int64?
    public var by: String?
    public var sig: String

    var signedText: String {
        ["threadguard-audit/v1", kind, db, String(seq), hash, at, lost.map(String.init) ?? "", by ?? ""].joined(separator: "|")
    }
}

extension AuditAnchor {
    static let rotateAboveBytes = 4 << 20
    static let keepLines = 10_000

    func signed(kind: String, db: String, seq: Int64, hash: String, at: Date, lost: Int64? = nil, by: String? = nil) -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(kind: kind, db: db, seq: seq, hash: hash, at: AuditChain.iso(at), lost: lost, by: by, sig: "")
        checkpoint.sig = (try? signingKey.signature(for: Data(checkpoint.signedText.utf8)).base64EncodedString()) ?? ""
        return checkpoint
    }

    func isGenuine(_ checkpoint: AuditCheckpoint) -> Bool {
        guard let signature = Data(base64Encoded: checkpoint.sig) else { return false }
        return signingKey.publicKey.isValidSignature(signature, for: Data(checkpoint.signedText.utf8))
    }

    /// Appends one line (one `write` on an O_APPEND descriptor: lines from processes writing at once do not mix), and
    /// logs it. When the file grows past 4 MB it is rewritten with its last 10,000 lines.
    func record(_ checkpoint: AuditCheckpoint, logger: Logger) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = try encoder.encode(checkpoint) + Data("\n".utf8)
        try lock.withLock {
            try PrivateFiles.createFolder((checkpointPath as NSString).deletingLastPathComponent)
            let descriptor = open(checkpointPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw AuditKeyError.cannotCreate(checkpointPath, String(cString: strerror(errno))) }
            defer { close(descriptor) }
            let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, line.count) }
            guard written == line.count else { throw AuditKeyError.cannotCreate(checkpointPath, "short write") }
            var status = stat()
            if fstat(descriptor, &status) == 0, Int(status.st_size) > Self.rotateAboveBytes { try rotate() }
        }
        logger.notice("audit checkpoint", metadata: [
            "audit.db": "\(checkpoint.db)", "audit.kind": "\(checkpoint.kind)", "audit.seq": "\(checkpoint.seq)", "audit.hash": "\(checkpoint.hash)",
        ])
    }

    private func rotate() throws {
        guard let text = try? String(contentsOfFile: checkpointPath, encoding: .utf8) else { return }
        let lines = text.split(separator: "\n").suffix(Self.keepLines)
        let temporary = checkpointPath + ".rotating"
        try PrivateFiles.touch(temporary)
        try (lines.joined(separator: "\n") + "\n").write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, checkpointPath) == 0 else { throw AuditKeyError.cannotCreate(checkpointPath, String(cString: strerror(errno))) }
    }

    /// The file's lines for database `db`, in file order, each with whether its signature holds; nil when there is
    /// no file.
    typealias CheckpointLine = (checkpoint: AuditCheckpoint?, line: Int, genuine: Bool)

    func checkpoints(db: String) -> [CheckpointLine]? {
        guard let data = FileManager.default.contents(atPath: checkpointPath) else { return nil }
        var out: [(AuditCheckpoint?, Int, Bool)] = []
        let decoder = JSONDecoder()
        for (index, raw) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let checkpoint = try? decoder.decode(AuditCheckpoint.self, from: Data(raw)) else {
                out.append((nil, index + 1, false))
                continue
            }
            guard checkpoint.db == db else { continue }
            out.append((checkpoint, index + 1, isGenuine(checkpoint)))
        }
        return out
    }
}

extension AuditAnchor {
    /// After a restore: when this machine's checkpoints name rows past the restored head `seq`, signs a "restore"
    /// checkpoint saying rows `seq + 1` to the last one are lost, acknowledged by `actor`; the last lost row, or nil when
    /// nothing was lost. The store then audits the acknowledgement.
    func recordRestore(db: String, seq: Int64, hash: String, actor: String) throws -> Int64? {
        let latest = (checkpoints(db: db) ?? []).compactMap { $0.genuine ? $0.checkpoint : nil }.map(\.seq).max() ?? 0
        guard latest > seq else { return nil }
        try record(signed(kind: "restore", db: db, seq: seq, hash: hash, at: Date(), lost: latest, by: actor), logger: ThreadGuardDatabase.auditLogger)
        return latest
    }
}
