import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardStore

/// Judges what webhooks stored and carries out the actions, at once. Deliveries that arrive while a pass is running
/// fold into one more pass after it, so a burst of webhooks starts at most two passes, never one each.
public actor WebhookProcessor {
    let decider: Decider
    let runActions: @Sendable () async -> Void
    let logger: Logger
    private var running = false
    private var again = false

    public init(config: AppConfig, database: any Store, judge: Judge, logger: Logger, runActions: @escaping @Sendable () async -> Void) {
        var decider = Decider(database: database, judge: judge, logger: logger,
                              publicOnlySources: config.publicOnlySources(try? ConnectorRegistry(directory: config.connectors)))
        decider.responseTargets = config.review.responseTargets
        self.decider = decider
        self.runActions = runActions
        self.logger = logger
    }

    public func process() async {
        if running {
            again = true
            return
        }
        running = true
        repeat {
            again = false
            let decider = self.decider
            do {
                // Judging blocks while it works: on a thread of its own, not the cooperative pool's.
                let counts = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Decider.Counts, any Error>) in
                    Thread.detachNewThread { continuation.resume(with: Result { try decider.decidePending() }) }
                }
                logger.info("webhook items judged", metadata: ["items.decided": "\(counts.decided)", "items.flagged": "\(counts.flagged)"])
            } catch {
                logger.error("webhook items could not be judged; the next poll will", metadata: ["error": "\(type(of: error))"])
            }
            await runActions()
        } while again
        running = false
    }
}
