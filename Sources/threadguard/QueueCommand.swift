import ArgumentParser
import Foundation
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWorkflow

/// The review queue for people in a terminal: the same queue, actions and audit trail as the web page. Everything
/// that came from outside (comments, author names, reply texts) is printed with its control characters escaped.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Work the flagged queue from a terminal.",
        subcommands: [List.self, Show.self, Approve.self, Dismiss.self, Unhide.self])

    struct Common: ParsableArguments {
        @Option(help: "The configuration file.")
        var config: String = "threadguard.yaml"

        @Option(name: .customLong("as"), help: "Who is acting: a user of the review page (recorded in the audit log; default: $USER).")
        var actor: String?

        @OptionGroup var global: GlobalOptions

        /// The acting person: a user of the review page, or a clear error saying how to become one.
        func who(_ database: any Store) throws -> String {
            let name = actor ?? ProcessInfo.processInfo.environment["USER"] ?? ""
            guard !name.isEmpty, let user = try database.user(named: name) else {
                throw ValidationError("'\(TerminalText.escaped(name))' is not a user of the review page; name one with --as, or add it with `threadguard user add NAME --role reviewer`")
            }
            return user.name
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queued items, identifiers masked.")
        @OptionGroup var common: Common
        @Option(help: "Which items, by status.") var status: QueueStatusChoice = .open
        @Option(help: "Only this category.") var category: QueueCategoryChoice?
        @Option(help: "Only this platform.") var platform: Platform?
        @Option(help: "Only comments with these words (each as a word's beginning).") var search: String?
        @Option(help: "How many (1 to 200).") var limit = 20
        @Flag(help: "One JSON object: counts and rows (typed numbers; identifiers masked as on screen).") var json = false
        @Flag(help: "Instead of the queue: the items shadow rules fired on (queued or not) and what they would have done.") var shadow = false

        func validate() throws {
            guard (1...200).contains(limit) else { throw ValidationError("--limit takes 1 to 200") }
        }

        func run() async throws {
            let database = try loadConfig(common.config).openStore()
            if shadow {
                let outcomes = try database.shadowOutcomes(limit: limit)
                if json {
                    try printJSON(["items": outcomes.map { ["item_id": $0.itemID, "platform": $0.platform, "shadow_rules": $0.rules,
                                                             "would_have": $0.wouldHave, "review_status": $0.reviewStatus ?? NSNull()] as [String: Any] }])
                } else {
                    print("\(outcomes.count) item(s) shadow rules fired on (recorded, never acted on)")
                    for o in outcomes {
                        print("\(o.itemID)\t\(o.platform)\t\(o.rules.joined(separator: ","))\twould have \(o.wouldHave.isEmpty ? "done nothing more" : o.wouldHave.joined(separator: ","))\t\(o.reviewStatus ?? "not queued")")
                    }
                }
                return
            }
            var filter = QueueFilter()
            filter.status = status == .all ? nil : status.rawValue
            filter.category = category?.rawValue
            filter.platform = platform?.rawValue
            filter.search = search
            filter.pageSize = limit
            // Every item on its own line (the page groups near-identical ones; here each has the id to act on).
            filter.grouped = false
            let page = try database.queue(filter)
            if json {
                let rows: [[String: Any]] = page.rows.map { row in
                    ["item_id": row.itemID, "priority": row.priority, "status": row.status, "platform": row.platform, "phi": row.phi,
                     "categories": row.categories, "has_draft": row.hasDraft, "has_failed_action": row.hasDead,
                     "target": row.target, "due_at": row.dueAt.map { $0.formatted(.iso8601) } ?? NSNull(), "assignee": row.assignee ?? NSNull(),
                     "text_masked": Examples.mask(row.text, row.findings.filter { $0.type != "HEALTH" })]
                }
                try printJSON(["total": page.total, "open": page.statusCounts["open"] ?? 0, "escalated": page.statusCounts["escalated"] ?? 0, "items": rows])
                return
            }
            print("\(page.total) item(s); open \(page.statusCounts["open"] ?? 0), escalated \(page.statusCounts["escalated"] ?? 0)")
            for row in page.rows {
                let masked = Examples.mask(row.text, row.findings.filter { $0.type != "HEALTH" })
                let flags = ([row.phi ? "PHI" : nil] + row.categories.map { Optional($0) } + [row.hasDraft ? "draft" : nil, row.hasDead ? "failed" : nil]).compactMap { $0 }
                print("\(row.itemID)\tp\(row.priority)\t\(row.status)\t\(row.platform)\t[\(flags.joined(separator: ","))]\t\(TerminalText.escaped(String(masked.prefix(100))))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an item with its thread, findings and drafted reply.")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64
        @Flag(help: "Show this item's identifiers unmasked (recorded in the audit log; the rest of the thread stays masked).") var reveal = false
        @Flag(help: "One JSON object (typed numbers; the thread masked, the item unmasked only with --reveal).") var json = false

        func run() async throws {
            let database = try loadConfig(common.config).openStore()
            let detail: ReviewDetail
            do {
                detail = try database.reviewDetail(itemID: id)
            } catch let error as ReviewError {
                throw ValidationError(error.description)
            }
            if reveal { try database.recordReveal(itemID: id, actor: try common.who(database)) }
            if json {
                func entry(_ item: ItemRecord, _ findings: [FindingRecord], unmasked: Bool) -> [String: Any] {
                    ["item_id": item.id ?? 0, "kind": item.kind, "brand": item.isBrand, "author": item.isBrand ? "brand" : item.authorName,
                     "text": unmasked ? item.text : Examples.mask(item.text, findings.filter { $0.type != "HEALTH" })]
                }
                var object: [String: Any] = [
                    "item": entry(detail.item, detail.findings, unmasked: reveal), "platform": detail.item.platform,
                    "status": detail.review?.status ?? NSNull(), "priority": detail.review?.priority ?? 0,
                    "thread": detail.ancestors.map { entry($0, $0.id.flatMap { detail.threadFindings[$0] } ?? [], unmasked: false) },
                    "findings": detail.findings.filter { $0.type != "HEALTH" }.map { ["type": $0.type, "recognizer": $0.recognizer, "start": $0.start, "end": $0.end] as [String: Any] },
                    "actions": detail.actions.map { ["action_id": $0.id ?? 0, "kind": $0.kind, "status": $0.status, "payload": $0.payload ?? NSNull(), "last_error": $0.lastError ?? NSNull()] as [String: Any] },
                ]
                func list(_ text: String) -> Any { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) ?? text }
                if let decision = detail.decision {
                    object["rules"] = list(decision.rules)
                    object["categories"] = list(decision.categories)
                }
                try printJSON(object)
                return
            }
            func show(_ item: ItemRecord, _ findings: [FindingRecord], marker: String, unmasked: Bool) {
                let text = unmasked ? item.text : Examples.mask(item.text, findings.filter { $0.type != "HEALTH" })
                print("\(marker) \(item.isBrand ? "brand" : TerminalText.escaped(item.authorName)) (\(item.kind)): \(TerminalText.escaped(text))")
            }
            print("item \(id) · \(detail.item.platform) · \(detail.review?.status ?? "not queued") · priority \(detail.review?.priority ?? 0)")
            for ancestor in detail.ancestors { show(ancestor, ancestor.id.flatMap { detail.threadFindings[$0] } ?? [], marker: " ", unmasked: false) }
            show(detail.item, detail.findings, marker: ">", unmasked: reveal)
            if let decision = detail.decision { print("rules: \(decision.rules)  categories: \(decision.categories)") }
            for finding in detail.findings where finding.type != "HEALTH" { print("finding: \(finding.type) by \(finding.recognizer) (\(finding.start)-\(finding.end))") }
            for action in detail.actions {
                print("action: \(action.kind) \(action.status)" + (action.lastError.map { " — \(TerminalText.escaped($0))" } ?? "")
                      + (action.payload.map { "\n  \(TerminalText.escaped($0))" } ?? ""))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve the drafted reply (optionally edited) and send it now.")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64
        @Option(help: "Replacement reply text (checked by the reply guard).") var text: String?

        func run() async throws {
            let config = try loadConfig(common.config)
            let database = try config.openStore()
            let actor = try common.who(database)
            let detail: ReviewDetail
            do {
                detail = try database.reviewDetail(itemID: id)
            } catch let error as ReviewError {
                throw ValidationError(error.description)
            }
            let drafts = detail.actions.filter(\.awaitsApproval)
            guard !drafts.isEmpty else { throw ValidationError(ReviewError.noDraft(id).description) }
            let edited = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            let judge = try config.makeJudge().judge
            if let refusal = try judge.refusal(of: edited.map { [$0] } ?? drafts.map { $0.payload ?? "" }, edited: edited != nil,
                                               item: detail.item, actor: actor, database: database) {
                throw ValidationError("the reply guard refused this reply: \(refusal)")
            }
            try await act(.approve, on: id, common, database: database, actor: actor, text: edited, send: true, config: config, judge: judge)
        }
    }

    struct Dismiss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dismiss an item: no action needed; its drafts are withdrawn.")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64

        func run() async throws {
            let config = try loadConfig(common.config)
            let database = try config.openStore()
            try await act(.dismiss, on: id, common, database: database, actor: try common.who(database), send: false, config: config)
            print("dismissed \(id)")
        }
    }

    struct Unhide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a hidden item again on its platform (a false alarm).")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64

        func run() async throws {
            let config = try loadConfig(common.config)
            let database = try config.openStore()
            try await act(.unhide, on: id, common, database: database, actor: try common.who(database), send: true, config: config)
        }
    }
}

/// Records a person's action on an item (audited, undoable) and, when it reaches a platform, carries it out now.
func act(_ action: ReviewAction, on id: Int64, _ common: QueueCommand.Common, database: any Store, actor: String,
         text: String? = nil, send: Bool, config: AppConfig, judge: Judge? = nil) async throws {
    do {
        try database.review(itemID: id, action: action, actor: actor, text: text)
    } catch let error as ReviewError {
        throw ValidationError(error.description)
    }
    guard send else { return }
    let logger = common.global.makeLogger("threadguard.queue")
    let judge = try judge ?? config.makeJudge().judge
    let (done, dead) = await sendNow(config, database: database, judge: judge, logger: logger)
    print("sent \(done) action(s)" + (dead > 0 ? "; \(dead) gave up (see `threadguard queue show`)" : ""))
}

/// One JSON object on standard output, keys sorted.
func printJSON(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}
