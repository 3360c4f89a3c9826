import ArgumentParser
import Foundation
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWorkflow

/// The review queue for people in a terminal: the same queue, actions and audit trail as the web page.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Work the flagged queue from a terminal.",
        subcommands: [List.self, Show.self, Approve.self, Dismiss.self, Unhide.self])

    struct Common: ParsableArguments {
        @Option(help: "The configuration file.")
        var config: String = "threadguard.yaml"

        @Option(name: .customLong("as"), help: "Who is acting (recorded in the audit log; default: $USER).")
        var actor: String?

        var who: String { actor ?? ProcessInfo.processInfo.environment["USER"] ?? "cli" }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queued items, identifiers masked.")
        @OptionGroup var common: Common
        @Option(help: "open, escalated, resolved, dismissed or all.") var status = "open"
        @Option(help: "A category (phi, adverse_event, complaint, …).") var category: String?
        @Option(help: "A platform.") var platform: String?
        @Option(help: "How many.") var limit = 20

        func run() async throws {
            let database = try ThreadGuardDatabase(path: try loadConfig(common.config).database)
            var filter = QueueFilter()
            filter.status = status == "all" ? nil : status
            filter.category = category
            filter.platform = platform
            filter.pageSize = limit
            let page = try database.queue(filter)
            print("\(page.total) item(s); open \(page.statusCounts["open"] ?? 0), escalated \(page.statusCounts["escalated"] ?? 0)")
            for row in page.rows {
                let masked = Examples.mask(row.text, row.findings.filter { $0.type != "HEALTH" }).replacingOccurrences(of: "\n", with: " ")
                let flags = ([row.phi ? "PHI" : nil] + row.categories.map { Optional($0) } + [row.hasDraft ? "draft" : nil, row.hasDead ? "failed" : nil]).compactMap { $0 }
                print("\(row.itemID)\tp\(row.priority)\t\(row.status)\t\(row.platform)\t[\(flags.joined(separator: ","))]\t\(masked.prefix(100))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an item with its thread, findings and drafted reply.")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64
        @Flag(help: "Show identifiers unmasked (recorded in the audit log).") var reveal = false

        func run() async throws {
            let database = try ThreadGuardDatabase(path: try loadConfig(common.config).database)
            let detail = try database.reviewDetail(itemID: id)
            if reveal { try database.recordReveal(itemID: id, actor: common.who) }
            func show(_ item: ItemRecord, _ findings: [FindingRecord], marker: String) {
                let text = reveal ? item.text : Examples.mask(item.text, findings.filter { $0.type != "HEALTH" })
                print("\(marker) \(item.isBrand ? "brand" : item.authorName) (\(item.kind)): \(text)")
            }
            print("item \(id) · \(detail.item.platform) · \(detail.review?.status ?? "not queued") · priority \(detail.review?.priority ?? 0)")
            for ancestor in detail.ancestors { show(ancestor, ancestor.id.flatMap { detail.threadFindings[$0] } ?? [], marker: " ") }
            show(detail.item, detail.findings, marker: ">")
            if let decision = detail.decision { print("rules: \(decision.rules)  categories: \(decision.categories)") }
            for finding in detail.findings where finding.type != "HEALTH" { print("finding: \(finding.type) by \(finding.recognizer) (\(finding.start)-\(finding.end))") }
            for action in detail.actions { print("action: \(action.kind) \(action.status)" + (action.lastError.map { " — \($0)" } ?? "") + (action.payload.map { "\n  \($0)" } ?? "")) }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve the drafted reply (optionally edited) and send it now.")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64
        @Option(help: "Replacement reply text (checked by the reply guard).") var text: String?

        func run() async throws {
            let config = try loadConfig(common.config)
            let database = try ThreadGuardDatabase(path: config.database)
            if let text {
                let detail = try database.reviewDetail(itemID: id)
                let judge = Judge(policies: try PolicyLoader.load(directory: config.policies))
                if let refusal = judge.checkDraft(text, for: detail) {
                    throw ValidationError("the reply guard refused this reply: \(refusal)")
                }
            }
            try await act(.approve, on: id, common, text: text, send: true)
        }
    }

    struct Dismiss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dismiss an item: no action needed; its drafts are withdrawn.")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64

        func run() async throws {
            try await act(.dismiss, on: id, common, send: false)
            print("dismissed \(id)")
        }
    }

    struct Unhide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a hidden item again on its platform (a false alarm).")
        @OptionGroup var common: Common
        @Argument(help: "The item id.") var id: Int64

        func run() async throws {
            try await act(.unhide, on: id, common, send: true)
        }
    }
}

/// Records a person's action on an item (audited, undoable) and, when it reaches a platform, carries it out now.
func act(_ action: ReviewAction, on id: Int64, _ common: QueueCommand.Common, text: String? = nil, send: Bool) async throws {
    let config = try loadConfig(common.config)
    do {
        try ThreadGuardDatabase(path: config.database).review(itemID: id, action: action, actor: common.who, text: text)
    } catch let error as ReviewError {
        throw ValidationError(error.description)
    }
    if send { try await sendNow(config) }
}

/// Carries out what a person just approved, through the configured sources.
func sendNow(_ config: AppConfig) async throws {
    let http = CurlHTTPClient()
    defer { http.shutdown() }
    let logger = GlobalOptions().makeLogger("threadguard.queue")
    let (done, dead) = await ActionRunner(config: config, environment: ProcessInfo.processInfo.environment, http: http, logger: logger).run()
    print("sent \(done) action(s)" + (dead > 0 ? "; \(dead) gave up (see `threadguard queue show`)" : ""))
}
