import Crypto
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Where the audit log's key and checkpoints live (from `threadguard.yaml`; nil: the defaults below).
public struct AuditSettings: Sendable, Equatable {
    /// A file holding the audit key (64 hex digits), outside the database's folder.
    public var keyFile: String?
    /// The file signed checkpoints of the log's head are appended to, outside the database's folder.
    public var checkpointFile: String?

    public init(keyFile: String? = nil, checkpointFile: String? = nil) {
        self.keyFile = keyFile
        self.checkpointFile = checkpointFile
    }
}

/// What anchors the audit log outside the database: a secret key, and a file of signed checkpoints.
///
/// - Each row's hash is an HMAC-SHA256 under a key derived from the secret, so rows cannot be rewritten with their
///   hashes recomputed by someone who has the database but not the key.
/// - After every transaction that adds rows, the head (its row number and hash) is signed with an Ed25519 key
///   derived from the same secret and appended to the checkpoint file, and logged (`audit checkpoint`, notice
///   level): deleting rows at the end, or all of them, no longer leaves a log that verifies.
///
/// The secret comes from `THREADGUARD_AUDIT_KEY` (64 hex digits), else from the configured key file, else from
/// `audit.key` in `$THREADGUARD_AUDIT_DIR`, `$XDG_STATE_HOME/threadguard` or `~/.local/state/threadguard`
/// (created with a random key, mode 0600, on first use). Checkpoints go to `checkpoints/DATABASE-ID.jsonl` beside
/// it unless configured. Neither may sit inside the database's folder.
/// Immutable but for the checkpoint file, which `lock` serialises (swift-crypto's key types are not marked Sendable).
public final class AuditAnchor: @unchecked Sendable {
    let rowKey: SymmetricKey
    let signingKey: Curve25519.Signing.PrivateKey
    /// Where the key came from, for messages ("$THREADGUARD_AUDIT_KEY" or the file's path).
    public let keySource: String
    public let checkpointPath: String
    let lock = NSLock()

    init(secret: Data, keySource: String, checkpointPath: String) {
        let master = SymmetricKey(data: secret)
        rowKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("threadguard audit rows v1".utf8), outputByteCount: 32)
        let seed = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("threadguard audit checkpoints v1".utf8), outputByteCount: 32)
        signingKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: seed.withUnsafeBytes { Data($0) })
        self.keySource = keySource
        self.checkpointPath = checkpointPath
    }

    /// The first hex digits of the checkpoint key's public half: tells an auditor which key signed.
    public var fingerprint: String {
        AuditChain.hex(Data(SHA256.hash(data: signingKey.publicKey.rawRepresentation)).prefix(8))
    }

    /// A value that tells whether two processes hold the same key, without telling the key.
    var keyCheck: String { String(rowHash(Data("threadguard audit key check".utf8)).prefix(32)) }

    func rowHash(_ content: Data) -> String {
        AuditChain.hex(Data(HMAC<SHA256>.authenticationCode(for: content, using: rowKey)))
    }

    // MARK: Finding the key

    public static let keyVariable = "THREADGUARD_AUDIT_KEY"
    public static let folderVariable = "THREADGUARD_AUDIT_DIR"

    /// `databasePath` nil: the database is a server's (PostgreSQL), with no folder of its own on this machine.
    static func resolve(_ settings: AuditSettings, databasePath: String?, databaseID: String,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AuditAnchor {
        let databaseFolder = databasePath.map(canonicalFolder(of:))
        let folder = environment[folderVariable] ?? environment["XDG_STATE_HOME"].map { $0 + "/threadguard" }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/threadguard"
        let checkpoints = settings.checkpointFile ?? folder + "/checkpoints/\(databaseID).jsonl"
        if let databaseFolder, inside(canonicalFolder(of: checkpoints), databaseFolder) {
            throw AuditKeyError.insideDatabaseFolder(what: "audit checkpoint file", path: checkpoints)
        }
        if let text = environment[keyVariable] {
            return AuditAnchor(secret: try secret(from: text, source: "$\(keyVariable)"), keySource: "$\(keyVariable)", checkpointPath: checkpoints)
        }
        let keyFile = settings.keyFile ?? folder + "/audit.key"
        if let databaseFolder, inside(canonicalFolder(of: keyFile), databaseFolder) {
            throw AuditKeyError.insideDatabaseFolder(what: "audit key file", path: keyFile)
        }
        if !FileManager.default.fileExists(atPath: keyFile) {
            guard settings.keyFile == nil else { throw AuditKeyError.missing(keyFile) }
            try createKeyFile(keyFile)
        }
        var status = stat()
        if stat(keyFile, &status) == 0, status.st_mode & 0o077 != 0 { throw AuditKeyError.readableByOthers(keyFile) }
        guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8) else { throw AuditKeyError.unreadable(keyFile) }
        return AuditAnchor(secret: try secret(from: text, source: keyFile), keySource: keyFile, checkpointPath: checkpoints)
    }

    /// 32 bytes from 64 hex digits (or base64 of at least 32 bytes).
    static func secret(from text: String, source: String) throws -> Data {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, let bytes = hexBytes(trimmed) { return bytes }
        if let data = Data(base64Encoded: trimmed), data.count >= 32 { return data }
        throw AuditKeyError.malformed(source)
    }

    static func hexBytes(_ text: String) -> Data? {
        var bytes = Data()
        var high: UInt8?
        for char in text.utf8 {
            let value: UInt8
            switch char {
            case 48...57: value = char - 48
            case 97...102: value = char - 87
            case 65...70: value = char - 55
            default: return nil
            }
            if let h = high { bytes.append(h << 4 | value); high = nil } else { high = value }
        }
        return high == nil ? bytes : nil
    }

    public static func createKeyFile(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try PrivateFiles.createFolder(folder)
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = AuditChain.hex(Data(key)) + "\n"
        // O_EXCL: two processes starting at once keep one key (the loser reads the winner's).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return }
            throw AuditKeyError.cannotCreate(path, String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        _ = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, text.utf8.count) }
        fsync(descriptor)
    }

    static func canonicalFolder(of path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let folder = (absolute as NSString).deletingLastPathComponent
        return (folder as NSString).resolvingSymlinksInPath.replacingOccurrences(of: "//", with: "/")
    }

    static func inside(_ folder: String, _ parent: String) -> Bool {
        folder == parent || folder.hasPrefix(parent.hasSuffix("/") ? parent : parent + "/")
    }
}

/// Why the audit key cannot be used, with what to do.
public enum AuditKeyError: Error, CustomStringConvertible {
    case insideDatabaseFolder(what: String, path: String)
    case missing(String)
    case unreadable(String)
    case malformed(String)
    case readableByOthers(String)
    case cannotCreate(String, String)

    public var description: String {
        switch self {
        case .insideDatabaseFolder(let what, let path):
            return "the \(what) \(path) is inside the database's folder; keep it elsewhere (whoever can change the database must not reach it)"
        case .missing(let path): return "the audit key file \(path) does not exist; create it with `openssl rand -hex 32 > \(path); chmod 600 \(path)`"
        case .unreadable(let path): return "the audit key file \(path) cannot be read; check its owner and permissions"
        case .malformed(let source): return "\(source) must hold 32 bytes as 64 hex digits (make one with `openssl rand -hex 32`)"
        case .readableByOthers(let path): return "the audit key file \(path) can be read by other users; run `chmod 600 \(path)`"
        case .cannotCreate(let path, let reason):
            return "cannot create the audit key at \(path) (\(reason)); set \(AuditAnchor.keyVariable) or `audit_key_file` in threadguard.yaml"
        }
    }
}

/// Files and folders that hold PHI or secrets: created readable by their owner only.
public enum PrivateFiles {
    /// Creates `path` and any missing parents with mode 0700.
    public static func createFolder(_ path: String) throws {
        guard !path.isEmpty, !FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Runs `body` with the process's file-creation mask at 077: files and folders it creates are the owner's only.
    /// (The mask is the process's: other threads creating files meanwhile get stricter modes, never looser.)
    public static func withOwnerOnlyCreation<T>(_ body: () throws -> T) rethrows -> T {
        maskLock.lock()
        let previous = umask(0o077)
        defer {
            umask(previous)
            maskLock.unlock()
        }
        return try body()
    }

    private static let maskLock = NSLock()

    /// Takes group and other permissions off an existing file (a database an older version created 0644).
    public static func ownerOnly(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & 0o077 != 0 else { return }
        chmod(path, status.st_mode & 0o700)
    }

    /// Creates an empty file with mode 0600 if there is none (never for a SQLite database: see `withOwnerOnlyCreation`).
    public static func touch(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        close(descriptor)
    }
}
