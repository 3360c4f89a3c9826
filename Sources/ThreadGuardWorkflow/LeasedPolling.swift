import Foundation
import ThreadGuardConnect
import ThreadGuardStore

/// Polling a store that many pollers share: each takes one source at a time under a lease, renews it after every
/// page, and releases it when the source is done. One pass polls each source once, whoever polls it; a source whose
/// poller died is taken by another once the lease runs out.
public struct LeasedPolling: Sendable {
    public let leases: any SourceLeases
    /// Who holds the leases (host, process, run), as the outbox names its owners.
    public let owner: String
    public let seconds: Int
    /// The sources leased in this run (its decider judges their items).
    public let taken = TakenSources()

    public init(leases: any SourceLeases, owner: String = OutboxOwner.make().description, seconds: Int = LeasedPolling.defaultSeconds) {
        self.leases = leases
        self.owner = owner
        self.seconds = max(1, seconds)
    }

    public static let defaultSeconds = 120
}

extension Poller {
    /// Polls the sources of `connectors` this pass, `maxConcurrentSources` at a time, each under a lease.
    public func poll(_ connectors: [any PlatformConnector], leasing: LeasedPolling) async throws -> [SourcePollResult] {
        let byName = Dictionary(connectors.map { ($0.source.name, $0) }, uniquingKeysWith: { first, _ in first })
        for connector in connectors {
            try await database.registerSource(name: connector.source.name, connector: connector.source.connector, account: connector.source.account)
        }
        let pass = try await leasing.leases.serverNow()
        let names = byName.keys.sorted()
        return try await withThrowingTaskGroup(of: [SourcePollResult].self) { group in
            for _ in 0..<min(maxConcurrentSources, max(1, names.count)) {
                group.addTask {
                    var results: [SourcePollResult] = []
                    while let name = try await leasing.leases.leaseSource(owner: leasing.owner, seconds: leasing.seconds, notPolledSince: pass, among: names),
                          let connector = byName[name] {
                        leasing.taken.insert(name)
                        results.append(await poll(connector, renewing: leasing))
                        _ = try await leasing.leases.releaseSource(name, owner: leasing.owner, polled: true)
                    }
                    return results
                }
            }
            var all: [SourcePollResult] = []
            for try await results in group { all += results }
            return all.sorted { $0.source < $1.source }
        }
    }
}

/// The names of the sources a run leased, read by its decider while the poller adds to them.
public final class TakenSources: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []

    func insert(_ name: String) { lock.withLock { if !names.contains(name) { names.append(name) } } }
    public var all: [String] { lock.withLock { names.sorted() } }
}
