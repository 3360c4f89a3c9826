import Foundation
import ThreadGuardStore

/// Records decision batches on a queue of their own, so the decider can judge the next batch meanwhile: one at a
/// time and in order on SQLite, up to the store's `decisionBatchesAtOnce` on PostgreSQL. `submit` waits for a free
/// slot (and rethrows an earlier batch's error); `finish` waits for the last and returns how many decisions were new.
final class BatchWrites: @unchecked Sendable {
    private let database: any Store
    private let queue = DispatchQueue(label: "threadguard.decision-writes", attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var recorded = 0
    private var failure: (any Error)?

    init(database: any Store) {
        self.database = database
        slots = DispatchSemaphore(value: max(1, database.decisionBatchesAtOnce))
    }

    func submit(_ batch: [DecisionInput]) throws {
        slots.wait()
        if let failure = lock.withLock({ failure }) {
            slots.signal()
            throw failure
        }
        group.enter()
        queue.async { [self] in
            defer {
                slots.signal()
                group.leave()
            }
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
