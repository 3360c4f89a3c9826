import Foundation
import Logging
import ThreadGuardCore
import ThreadGuardStore

/// Judges every stored item that has no decision yet and records the decision with its outbox actions in
/// one transaction.
public struct Decider: Sendable {
    let database: any Store
    let judge: Judge
    let logger: Logger
    /// Sources whose platform has no private messages (YouTube): "take this private" becomes a short public reply
    /// pointing to the phone line (the `public_redirect` template), which repeats nothing of the comment.
    let publicOnlySources: Set<String>
    /// Counts flagged items per source and times each judgement, when set.
    public var metrics: MetricsTally?
    /// The sources whose items this decider judges, when the store is shared by many pollers (those its poller leased
    /// in this run); nil: every item.
    public var sources: (@Sendable () -> [String])?
    /// When a queued item is due for a person's first action.
    public var responseTargets = ResponseTargets()

    public init(database: any Store, judge: Judge, logger: Logger, publicOnlySources: Set<String> = []) {
        self.database = database
        self.judge = judge
        self.logger = logger
        self.publicOnlySources = publicOnlySources
    }

    /// Returns how many items were decided, how many of those were flagged (given any action), and how many
    /// replies were drafted.
    public func decidePending() throws -> (decided: Int, flagged: Int, drafted: Int) {
        var cursor: Int64 = 0
        return try decidePending(after: &cursor)
    }

    /// `decidePending` from just after item `cursor`, leaving it at the last item decided.
    func decidePending(after cursor: inout Int64, sources: [String]? = nil) throws -> (decided: Int, flagged: Int, drafted: Int) {
        var flagged = 0, drafted = 0
        var redirected = publicOnlySources.isEmpty ? [] : try database.publicReplyThreads()
        // Batch n is written on a queue of its own while batch n + 1 is read and judged here.
        let writes = BatchWrites(database: database)
        defer { writes.drain() }
        while true {
            let batch = try database.itemsAwaitingDecision(after: cursor, limit: 500, sources: sources)
            if batch.isEmpty { break }
            cursor = batch.last?.id ?? cursor
            var inputs: [DecisionInput] = []
            var threads: [String: [ThreadContextEntry]] = [:]  // a top-level comment's context is its post
            // Thread context comes from the database, in order; judging is pure and runs on every core.
            var pending: [(id: Int64, record: ItemRecord, subject: Judge.Subject)] = []
            for record in batch {
                guard let id = record.id else { continue }
                let topLevel = record.parentID == nil || record.parentID == record.threadRootID
                let context: [ThreadContextEntry]
                if topLevel, let known = threads[record.threadRootID] {
                    context = known
                } else {
                    context = try database.ancestors(of: record).map { ThreadContextEntry(role: $0.isBrand ? .brand : .user, text: $0.text) }
                    if topLevel { threads[record.threadRootID] = context }
                }
                let item = record.item
                pending.append((id, record, Judge.Subject(
                    text: item.text, context: context, platform: item.platform, kind: item.kind, author: item.authorName,
                    isBrand: item.isBrand, ageHours: Date().timeIntervalSince(item.createdAt) / 3600)))
            }
            let judged = Self.judgeOnEveryCore(pending.map(\.subject), judge: judge)
            for ((id, record, subject), verdict) in zip(pending, judged) {
                let item = record.item
                metrics?.observe(.classification, verdict.seconds)
                let (analysis, decision, reply, refusal) = (verdict.analysis, verdict.decision, verdict.reply, verdict.refusal)
                let thread = "\(record.sourceName):\(item.topCommentID)"
                // One public pointer to the phone line per thread: a second one in the same thread would only repeat it.
                let redirectTaken = publicOnlySources.contains(record.sourceName) && !redirected.insert(thread).inserted
                let queued = decision.actions.filter { !(redirectTaken && $0 == .privateReply) }.map { kind -> QueuedAction in
                    switch kind {
                    case .hide, .unhide, .delete:
                        // "flag" rules only queue for review; "draft" ones wait for a person to approve.
                        let status: ActionStatus = switch decision.automation(for: kind) {
                        case "flag": .open
                        case "draft": .draft
                        default: .pending
                        }
                        return QueuedAction(kind: kind, status: status)
                    case .privateReply where publicOnlySources.contains(record.sourceName):
                        let (redirect, refused) = judge.draftRedirect(for: decision, analysis: analysis, subject: subject)
                        if let refused { return QueuedAction(kind: .publicReply, status: .draft, payload: redirect, note: "reply guard: \(refused)") }
                        return QueuedAction(kind: .publicReply, status: decision.automation(for: kind) == "act" ? .pending : .draft, payload: redirect,
                                            note: "no private messages on \(item.platform.rawValue): a public reply points to the phone line")
                    case .privateReply, .publicReply:
                        // Drafts wait for a person unless the rule lets the workflow act at once and the guard passes them.
                        if let refusal { return QueuedAction(kind: kind, status: .draft, payload: reply, note: "reply guard: \(refusal)") }
                        return QueuedAction(kind: kind, status: decision.automation(for: kind) == "act" ? .pending : .draft, payload: reply)
                    case .review, .escalate, .adverseEventReport, .label:
                        return QueuedAction(kind: kind, status: .open)
                    }
                }
                let intake = decision.actions.contains(.adverseEventReport) ? judge.intake(for: analysis, text: item.text) : nil
                var input = DecisionInput(itemID: id, analysis: analysis, decision: decision, actions: queued, intake: intake)
                if !decision.actions.isEmpty {
                    // Queued: its group of near-identical comments, and when a person must first act.
                    input.groupKey = ReviewGroups.key(of: item.text)
                    input.dueAt = responseTargets.due(input.target, from: Date())
                }
                inputs.append(input)
            }
            // One transaction for the batch: each decision with its findings, outbox actions and audit entry.
            try writes.submit(inputs)
            for (input, entry) in zip(inputs, pending) {
                if !input.decision.actions.isEmpty {
                    flagged += 1
                    metrics?.count("threadguard_items_flagged_total", ["source": entry.record.sourceName, "platform": entry.record.platform])
                }
                drafted += input.actions.filter { $0.kind == .privateReply || $0.kind == .publicReply }.count
            }
            logger.debug("decided a batch", metadata: ["items": "\(inputs.count)"])
        }
        return (try writes.finish(), flagged, drafted)
    }

    /// The result array shared by the workers: each writes only its own indices, and all have finished when
    /// `concurrentPerform` returns.
    struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Judged?>
    }

    struct Judged {
        var analysis: Analysis
        var decision: Decision
        var reply: String?
        var refusal: String?
        /// Seconds spent judging and drafting.
        var seconds: Double
    }

    /// Judges and drafts replies for `subjects` on all cores (each worker takes every n-th subject), results in
    /// the subjects' order. `Judge` is a value with only locked caches inside, so workers share it safely.
    static func judgeOnEveryCore(_ subjects: [Judge.Subject], judge: Judge) -> [Judged] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, subjects.count / 32))
        var results = [Judged?](repeating: nil, count: subjects.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var k = worker
                while k < subjects.count {
                    let started = ContinuousClock.now
                    let (analysis, decision, _) = judge.judge(subjects[k])
                    let (reply, refusal) = judge.draftReply(for: decision, analysis: analysis, subject: subjects[k])
                    slots.buffer[k] = Judged(analysis: analysis, decision: decision, reply: reply, refusal: refusal,
                                             seconds: (ContinuousClock.now - started).seconds)
                    k += workers
                }
            }
        }
        return results.map { $0! }
    }
}
