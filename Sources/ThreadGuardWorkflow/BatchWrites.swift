import Foundation
import ThreadGuardStore

/// Records decision batches on a queue of their own, one at a time and in order, so the decider can judge
/// the next batch meanwhile. `submit` waits for the batch before to land (and rethrows its error); `finish`
/// waits for the last and returns how many decisions were new.
final class BatchWrites: @unchecked Sendable {
    private let database: any Store
    private let queue = DispatchQueue(label: "threadguard.decision-writes")
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var recorded = 0
    private var failure: (any Error)?

    init(database: any Store) {
        self.database = database
    }

    func submit(_ batch: [DecisionInput]) throws {
        try waitForLast()
        group.enter()
        queue.async { [self] in
            defer { group.leave() }
            do {
                let count = try database.recordDecisions(batch)
                lock.withLock { recorded += count }
            } catch {
                lock.withLock { failure = error }
            }
        }
    }

    /// Waits for every submitted batch; the number of new decisions, or the first error.
    func finish() throws -> Int {
        try waitForLast()
        return lock.withLock { recorded }
    }

    /// Waits without throwing, for `defer` when the decider stops early: no batch outlives the call.
    func drain() {
        group.wait()
    }

    private func waitForLast() throws {
        group.wait()
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
