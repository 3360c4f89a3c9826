import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardStore

/// Carries out pending outbox actions through each item's connector, with retries and backoff; an action
/// that cannot succeed moves to the dead-letter state with its reason.
///
/// Every row has one owner: the executor claims it with a conditional update before sending (`claimAction`), and
/// records the outcome only while it still owns it, so executors running at the same moment — a poll, the review
/// page, a CLI approval — never send the same row twice nor overwrite each other's results. A row left `sending`
/// by an executor whose process is gone is taken over and reconciled with the platform before anything is resent.
public struct Executor: Sendable {
    let database: any Store
    let logger: Logger
    public var maxAttempts = 4
    public var baseBackoffSeconds = 0.2
    /// How long a claim by an executor on another host (or of an unknown shape) is respected before it is taken over.
    public var lease: TimeInterval = 15 * 60
    /// The last check of a reply's final text before it leaves (the reply guard); a reason returns it to a person.
    public var checkReply: (@Sendable (_ text: String, _ item: ItemRecord) -> String?)?
    /// Counts what was hidden, replied and failed per source, and the time from fetching to hiding, when set.
    public var metrics: MetricsTally?

    public init(database: any Store, logger: Logger, checkReply: (@Sendable (String, ItemRecord) -> String?)? = nil) {
        self.database = database
        self.logger = logger
        self.checkReply = checkReply
    }

    /// What one run did.
    public struct Outcome: Sendable, Equatable {
        /// Sent now (or found sent by a run that died before recording it).
        public var done: [ActionKind: Int] = [:]
        /// Replies not sent because the brand's reply was already on the platform.
        public var alreadyThere: [ActionKind: Int] = [:]
        public var dead = 0
        /// Replies the guard sent back to a person at the last moment.
        public var held = 0
    }

    /// Runs every pending platform action once through; returns how many of each kind completed and how
    /// many died.
    public func run(connectors: [String: any PlatformConnector]) async throws -> (done: [ActionKind: Int], dead: Int) {
        let outcome = try await execute(connectors: connectors)
        return (outcome.done, outcome.dead)
    }

    public func execute(connectors: [String: any PlatformConnector]) async throws -> Outcome {
        let owner = OutboxOwner.make().description
        ActiveOwners.shared.insert(owner)
        defer { ActiveOwners.shared.remove(owner) }
        var outcome = Outcome()
        // Rows left sending by an executor that is gone: ask the platform before sending again. A hide sent twice is
        // harmless; a reply is never sent again unless the platform says the first one did not arrive.
        for action in try database.actions(status: .sending, limit: 10_000) {
            guard let id = action.id, !OutboxOwner.isAlive(action.owner, claimedAt: action.claimedAt, lease: lease),
                  let kind = ActionKind(rawValue: action.kind), let record = try database.item(id: action.itemID),
                  let connector = connectors[record.sourceName],
                  try database.takeOverAction(id: id, from: action.owner, owner: owner)
            else { continue }
            let request = PlatformAction(kind: kind, item: record.item, text: action.payload)
            switch await reconcile(request, id: id, owner: owner, connector: connector) {
            case .done:
                outcome.done[kind, default: 0] += 1
                countDone(kind, record: record)
            case .dead:
                outcome.dead += 1
                countFailure(kind, record: record, reason: "unknown_if_sent", dead: true)
            case .wait: continue
            case .send: try await send(action, record: record, connector: connector, owner: owner, attempts: action.attempts, into: &outcome)
            }
        }
        var after: Int64 = 0
        while true {
            let batch = try database.pendingActions(after: after, limit: 200)
            guard let last = batch.last?.id else { break }
            after = last
            for action in batch {
                // A source without a connector (no token) keeps its actions pending for the poll that reports it.
                guard let id = action.id, let kind = ActionKind(rawValue: action.kind), kind.touchesPlatform,
                      let record = try database.item(id: action.itemID), let connector = connectors[record.sourceName],
                      try database.claimAction(id: id, owner: owner)
                else { continue }
                try await send(action, record: record, connector: connector, owner: owner, attempts: action.attempts, into: &outcome)
            }
        }
        return outcome
    }

    enum Reconciled { case done, dead, wait, send }

    /// What to do with a row whose sender died mid-way.
    func reconcile(_ request: PlatformAction, id: Int64, owner: String, connector: any PlatformConnector) async -> Reconciled {
        let isReply = request.kind == .privateReply || request.kind == .publicReply
        do {
            switch try await connector.alreadyDone(request) {
            case true?:
                try database.completeAction(id: id, platformRef: nil, actor: "executor.reconcile", owner: owner)
                logger.info("action reconciled as done", metadata: ["action.id": "\(id)", "action.kind": "\(request.kind.rawValue)"])
                return .done
            case false?:
                return .send
            case nil where isReply:
                try database.failAction(id: id, reason: "the platform cannot say whether this reply already went out; check the thread before sending it by hand",
                                        giveUp: true, actor: "executor.reconcile", owner: owner)
                return .dead
            case nil:
                return .send
            }
        } catch {
            // The check itself failed: a reply waits for the next run rather than risk a second copy.
            return isReply ? .wait : .send
        }
    }

    /// Sends one row this executor owns, retrying passing failures; a reply is first looked for on the platform.
    func send(_ action: ActionRecord, record: ItemRecord, connector: any PlatformConnector, owner: String, attempts: Int,
              into outcome: inout Outcome) async throws {
        guard let id = action.id, let kind = ActionKind(rawValue: action.kind) else { return }
        let request = PlatformAction(kind: kind, item: record.item, text: action.payload)
        let meta: Logger.Metadata = ["action.id": "\(id)", "action.kind": "\(kind.rawValue)", "item.id": "\(action.itemID)"]
        if kind == .privateReply || kind == .publicReply {
            switch await alreadyOnPlatform(request, record: record, connector: connector) {
            case .some(let detail?):
                if try database.completeAction(id: id, platformRef: nil, actor: "executor.already-replied", owner: owner, detail: detail) {
                    outcome.alreadyThere[kind, default: 0] += 1
                    logger.info("reply already on the platform; not sent again", metadata: meta)
                }
                return
            case .none:
                return  // the platform could not be asked: the row waits for the next run
            case .some(nil):
                break
            }
            if let refusal = checkReply?(action.payload ?? "", record) {
                try database.returnToDraft(id: id, owner: owner, reason: "reply guard: \(refusal)", actor: "executor")
                outcome.held += 1
                logger.warning("reply held back by the reply guard", metadata: meta)
                return
            }
        }
        var attempt = attempts
        while true {
            attempt += 1
            do {
                let ref = try await connector.perform(request)
                if try database.completeAction(id: id, platformRef: ref, actor: "executor", owner: owner) {
                    logger.info("action done", metadata: meta)
                    outcome.done[kind, default: 0] += 1
                    countDone(kind, record: record)
                }
                return
            } catch let error as ConnectorError {
                let giveUp = !error.isRetryable || attempt >= maxAttempts
                guard try database.failAction(id: id, reason: error.description, giveUp: giveUp, actor: "executor", owner: owner) else { return }
                logger.warning("action failed", metadata: meta.merging([
                    "error.kind": "\(error.kindName)", "error": "\(error.description)", "attempt": "\(attempt)", "gave_up": "\(giveUp)",
                ]) { $1 })
                countFailure(kind, record: record, reason: error.kindName, dead: giveUp)
                if giveUp {
                    outcome.dead += 1
                    return
                }
                var delay = baseBackoffSeconds * pow(2, Double(attempt - 1))
                if case .rateLimited(_, let seconds?) = error { delay = min(Double(seconds), 60) }
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                // A reply that failed in passing may still have arrived: ask before sending it again.
                if kind == .privateReply || kind == .publicReply, (try? await connector.alreadyDone(request)) == true {
                    if try database.completeAction(id: id, platformRef: nil, actor: "executor.reconcile", owner: owner) {
                        outcome.done[kind, default: 0] += 1
                        countDone(kind, record: record)
                    }
                    return
                }
            }
        }
    }

    func countDone(_ kind: ActionKind, record: ItemRecord) {
        guard let metrics else { return }
        let labels = ["source": record.sourceName, "platform": record.platform]
        switch kind {
        case .hide:
            metrics.count("threadguard_items_hidden_total", labels)
            metrics.observe(.timeToHide, max(0, Date().timeIntervalSince(record.fetchedAt)), labels: ["platform": record.platform])
        case .privateReply, .publicReply:
            metrics.count("threadguard_replies_sent_total", labels.merging(["kind": kind.rawValue]) { $1 })
        default:
            metrics.count("threadguard_actions_done_total", labels.merging(["kind": kind.rawValue]) { $1 })
        }
    }

    func countFailure(_ kind: ActionKind, record: ItemRecord, reason: String, dead: Bool) {
        metrics?.count("threadguard_failures_total", ["source": record.sourceName, "platform": record.platform, "stage": "action", "reason": reason])
        if dead { metrics?.count("threadguard_dead_letters_total", ["source": record.sourceName, "platform": record.platform, "kind": kind.rawValue]) }
    }

    /// Whether the reply is already out: `.some(reason)` when it is (the brand's reply stored under the comment, or
    /// the platform's own check), `.some(nil)` when it is not, `nil` when the platform could not be asked.
    func alreadyOnPlatform(_ request: PlatformAction, record: ItemRecord, connector: any PlatformConnector) async -> String?? {
        if request.kind == .publicReply {
            var targets = [record]
            if record.item.topCommentID != record.platformID, let top = try? database.item(platform: record.item.platform, platformID: record.item.topCommentID) {
                targets.append(top)
            }
            for target in targets where !((try? database.brandReplies(to: target)) ?? []).isEmpty {
                return .some("the brand's reply is already in the thread")
            }
        }
        do {
            return try await connector.alreadyDone(request) == true ? .some("the platform already has this reply") : .some(nil)
        } catch {
            logger.warning("could not ask the platform whether a reply already went out", metadata: ["item.id": "\(record.id ?? 0)"])
            return nil
        }
    }
}
