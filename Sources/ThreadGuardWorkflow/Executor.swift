import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardStore

/// Carries out pending outbox actions through each item's connector, with retries and backoff; an action
/// that cannot succeed moves to the dead-letter state with its reason.
public struct Executor: Sendable {
    let database: ThreadGuardDatabase
    let logger: Logger
    public var maxAttempts = 4
    public var baseBackoffSeconds = 0.2

    public init(database: ThreadGuardDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Runs every pending platform action once through; returns how many of each kind completed and how
    /// many died.
    public func run(connectors: [String: any PlatformConnector]) async throws -> (done: [ActionKind: Int], dead: Int) {
        var done: [ActionKind: Int] = [:], dead = 0
        // Actions recorded as sending when a run died: ask the platform before sending again. A hide sent twice is
        // harmless; a reply is never sent again unless the platform says the first one did not arrive.
        var unsettled: Set<Int64> = []
        for action in try database.actions(status: .sending) {
            guard let id = action.id, let kind = ActionKind(rawValue: action.kind), let record = try database.item(id: action.itemID),
                  let connector = connectors[record.sourceName] else { continue }
            let request = PlatformAction(kind: kind, item: record.item, text: action.payload)
            let isReply = kind == .privateReply || kind == .publicReply
            do {
                switch try await connector.alreadyDone(request) {
                case true?:
                    try database.completeAction(id: id, platformRef: nil, actor: "executor.reconcile")
                    logger.info("action reconciled as done", metadata: ["action.id": "\(id)", "action.kind": "\(kind.rawValue)"])
                    done[kind, default: 0] += 1
                    unsettled.insert(id)
                case false?:
                    break
                case nil where isReply:
                    try database.failAction(id: id, reason: "the platform cannot say whether this reply already went out; check the thread before sending it by hand",
                                            giveUp: true, actor: "executor.reconcile")
                    dead += 1
                    unsettled.insert(id)
                case nil:
                    break
                }
            } catch {
                // The check itself failed: a reply waits for the next run rather than risk a second copy.
                if isReply { unsettled.insert(id) }
            }
        }
        for action in try database.actions(status: .pending) + database.actions(status: .sending) {
            guard let id = action.id, !unsettled.contains(id), let kind = ActionKind(rawValue: action.kind), kind.touchesPlatform,
                  let record = try database.item(id: action.itemID)
            else { continue }
            guard let connector = connectors[record.sourceName] else { continue }
            let request = PlatformAction(kind: kind, item: record.item, text: action.payload)
            var attempt = action.attempts
            while true {
                attempt += 1
                do {
                    try database.markSending(id: id)
                    let ref = try await connector.perform(request)
                    try database.completeAction(id: id, platformRef: ref, actor: "executor")
                    logger.info("action done", metadata: ["action.id": "\(id)", "action.kind": "\(kind.rawValue)", "item.id": "\(action.itemID)"])
                    done[kind, default: 0] += 1
                    break
                } catch let error as ConnectorError {
                    let giveUp = !error.isRetryable || attempt >= maxAttempts
                    try database.failAction(id: id, reason: error.description, giveUp: giveUp, actor: "executor")
                    logger.warning("action failed", metadata: ["action.id": "\(id)", "action.kind": "\(kind.rawValue)", "error.kind": "\(error.kindName)", "attempt": "\(attempt)"])
                    if giveUp {
                        dead += 1
                        break
                    }
                    var delay = baseBackoffSeconds * pow(2, Double(attempt - 1))
                    if case .rateLimited(_, let seconds?) = error { delay = min(Double(seconds), 60) }
                    try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                }
            }
        }
        return (done, dead)
    }
}
