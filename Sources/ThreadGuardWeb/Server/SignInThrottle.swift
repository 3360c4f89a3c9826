import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Failed sign-ins per user name and per address. Five failures for one name, or twenty from one address, within
/// fifteen minutes lock that name or address out for 30 s, then twice as long at each further lock-out (at most
/// 15 minutes); a success clears the name's record. Locked-out attempts are answered without checking any password.
actor SignInThrottle {
    struct Record {
        var failures: [Date] = []
        var lockedUntil: Date?
        var lockouts = 0
    }

    let window: TimeInterval = 15 * 60
    let perUser = 5
    let perAddress = 20
    private var users: [String: Record] = [:]
    private var addresses: [String: Record] = [:]

    /// Seconds until `user` or `address` may try again, or nil when they may now.
    func wait(user: String, address: String, now: Date = Date()) -> TimeInterval? {
        let until = [users[user]?.lockedUntil, addresses[address]?.lockedUntil].compactMap { $0 }.filter { $0 > now }.max()
        return until.map { $0.timeIntervalSince(now) }
    }

    func failed(user: String, address: String, now: Date = Date()) {
        note(&users, user, limit: perUser, now: now)
        note(&addresses, address, limit: perAddress, now: now)
        if users.count + addresses.count > 20_000 { prune(now: now) }
    }

    func succeeded(user: String) {
        users[user] = nil
    }

    private func note(_ table: inout [String: Record], _ key: String, limit: Int, now: Date) {
        var record = table[key] ?? Record()
        record.failures = record.failures.filter { now.timeIntervalSince($0) < window } + [now]
        if record.failures.count >= limit {
            record.lockedUntil = now.addingTimeInterval(min(30 * pow(2, Double(record.lockouts)), 900))
            record.lockouts += 1
            record.failures = []
        }
        table[key] = record
    }

    /// Forgets records with no recent failure and no lock-out in force (a flood of made-up names cannot grow memory
    /// without bound).
    private func prune(now: Date) {
        func stale(_ record: Record) -> Bool {
            (record.lockedUntil ?? .distantPast) < now && (record.failures.last.map { now.timeIntervalSince($0) > window } ?? true)
        }
        users = users.filter { !stale($0.value) }
        addresses = addresses.filter { !stale($0.value) }
    }
}

/// bcrypt off the event loops, at most one check per core at a time: a flood of sign-ins queues here instead of
/// slowing every page. Unknown names are checked against a dummy hash of the same cost, so they take as long.
actor PasswordChecker {
    private let slots: Int
    private var busy = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    let dummyHash: String
    /// bcrypt checks run, for tests: an unknown name costs one like a known one.
    private(set) var checks = 0

    init(cost: UInt8 = 10) {
        slots = max(1, ProcessInfo.processInfo.activeProcessorCount)
        dummyHash = Bcrypt.hash(UUID().uuidString, cost: cost)
    }

    /// Whether `password` matches `hash` (the dummy when nil: always false, after the same work).
    func verify(_ password: String, hash: String?) async -> Bool {
        if busy >= slots { await withCheckedContinuation { waiting.append($0) } } else { busy += 1 }
        defer {
            if waiting.isEmpty { busy -= 1 } else { waiting.removeFirst().resume() }
        }
        checks += 1
        let target = hash ?? dummyHash
        let matches = (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }) ?? false
        return matches && hash != nil
    }
}
