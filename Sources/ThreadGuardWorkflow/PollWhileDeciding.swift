import Foundation
import ThreadGuardConnect

/// Polling waits on the network and the disk for most of its time; deciding is pure work. This runs the
/// decider on its own thread while the poller stores pages, deciding what has arrived in batches, and then
/// decides what is left once the last page is stored. Every decision reads only committed items (each page is
/// stored with its cursor in one transaction, parents before their replies), in item order, as a decider run
/// after polling would.
extension Poller {
    /// `polledAt` is when the last page was stored (the ingest benchmark times the two stages with it).
    /// `leasing`: the store is shared by many pollers (PostgreSQL), each source is polled under a lease.
    public func pollWhileDeciding(_ connectors: [any PlatformConnector], decider: Decider, leasing: LeasedPolling? = nil)
        async throws -> (results: [SourcePollResult], decided: Decider.Counts, polledAt: Date)
    {
        let polling = PollingFlag()
        async let decided: Decider.Counts = withCheckedThrowingContinuation { continuation in
            // A thread of its own: the decider blocks while it works, and the cooperative pool is as small as
            // the machine.
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: try decider.decideWhile { polling.isActive })
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        let results: [SourcePollResult]
        do {
            results = if let leasing { try await poll(connectors, leasing: leasing) } else { await poll(connectors) }
        } catch {
            polling.finish()
            _ = try? await decided
            throw error
        }
        polling.finish()
        let polledAt = Date()
        return (results, try await decided, polledAt)
    }
}

/// Set once polling has stored its last page.
final class PollingFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var active = true
    var isActive: Bool { lock.withLock { active } }
    func finish() { lock.withLock { active = false } }
}

extension Decider {
    public typealias Counts = (decided: Int, flagged: Int, drafted: Int)

    /// Decides stored items while `active()` says more may come, pausing briefly when there is nothing new;
    /// after it says no more will come, one last pass decides everything stored.
    public func decideWhile(_ active: () -> Bool) throws -> Counts {
        var total: Counts = (0, 0, 0)
        var cursor: Int64 = 0
        var known: [String]?
        var passStart: Int64 = 0
        while true {
            let more = active()
            // A source leased since the last pass may have items the last pass did not ask for, all stored after it
            // began: go back to where it began. The last pass starts from the first item: on a shared store, pages
            // stored at once may commit out of id order.
            let names = sources?()
            if names != known { cursor = passStart }
            if !more, sources != nil { cursor = 0 }
            known = names
            passStart = cursor
            let done = try decidePending(after: &cursor, sources: names)
            total = (total.decided + done.decided, total.flagged + done.flagged, total.drafted + done.drafted)
            if !more { return total }
            if done.decided == 0 { Thread.sleep(forTimeInterval: 0.02) }
        }
    }
}
