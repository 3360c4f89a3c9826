import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who holds an outbox row while it is being sent: this host, this process (its id and start time, so that a
/// reused process id is not mistaken for the owner) and a random part per executor run. An owner that is gone
/// (its process ended, or its run finished without settling the row) leaves the row to be reconciled by the next
/// executor; a live one is never second-guessed.
public struct OutboxOwner: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var pid: Int32
    public var processStart: UInt64
    public var run: String

    public var description: String { "\(host)/\(pid)/\(processStart)/\(run)" }

    /// A new owner for one executor run of this process.
    public static func make() -> OutboxOwner {
        let pid = getpid()
        return OutboxOwner(host: hostName(), pid: pid, processStart: startTime(of: pid) ?? 0, run: UUID().uuidString.prefix(8).lowercased())
    }

    public init(host: String, pid: Int32, processStart: UInt64, run: String) {
        self.host = host
        self.pid = pid
        self.processStart = processStart
        self.run = String(run)
    }

    /// Reads an owner column; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else { return nil }
        self.init(host: String(parts[0]), pid: pid, processStart: start, run: String(parts[3]))
    }

    /// Whether the executor that wrote `owner` may still be sending. Unknown shapes, other hosts and owners
    /// younger than `lease` count as alive: a row is never sent twice on a guess.
    public static func isAlive(_ owner: String?, claimedAt: Date?, lease: TimeInterval, now: Date = Date()) -> Bool {
        guard let owner, let parsed = OutboxOwner(owner) else { return owner != nil && !expired(claimedAt, lease, now) }
        if parsed.host != hostName() { return !expired(claimedAt, lease, now) }
        if parsed.pid == getpid(), parsed.processStart == startTime(of: getpid()) ?? 0 {
            return ActiveOwners.shared.contains(parsed.description)
        }
        guard kill(parsed.pid, 0) == 0 || errno == EPERM else { return false }
        // The process id is in use: by the owner only if it started at the same moment.
        return startTime(of: parsed.pid).map { $0 == parsed.processStart } ?? true
    }

    static func expired(_ claimedAt: Date?, _ lease: TimeInterval, _ now: Date) -> Bool {
        guard let claimedAt else { return true }
        return now.timeIntervalSince(claimedAt) > lease
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let name = String(cString: buffer)
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: "/", with: "_")
    }

    /// The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), nil when unreadable.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces and parentheses) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}

/// The owners of this process's executor runs that are still going.
final class ActiveOwners: @unchecked Sendable {
    static let shared = ActiveOwners()
    private let lock = NSLock()
    private var owners: Set<String> = []

    func insert(_ owner: String) { lock.withLock { _ = owners.insert(owner) } }
    func remove(_ owner: String) { lock.withLock { _ = owners.remove(owner) } }
    func contains(_ owner: String) -> Bool { lock.withLock { owners.contains(owner) } }
}
