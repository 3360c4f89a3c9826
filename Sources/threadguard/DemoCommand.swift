import ArgumentParser
import Foundation
import HummingbirdBcrypt
import Logging
import ThreadGuardDemo
import ThreadGuardHTTP
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow
import ThreadGuardYAML

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline once against the built-in sandbox platforms on 127.0.0.1 and print a summary.")

    @Option(help: "Folder for the demo database and the sandbox's action log (default: a fresh temporary folder).")
    var workdir: String?

    @Option(help: "The policies folder (default: the shipped Policies/).")
    var policies: String?

    @Option(help: "The connectors folder (default: the shipped Connectors/).")
    var connectors: String?

    @Option(help: "A model folder for the learned detectors (default: the shipped Models/ when present).")
    var model: String?

    @Flag(help: "Judge with the rules alone, without the learned detectors.")
    var rulesOnly = false

    @Flag(help: "Keep the sandbox and the review page running on the demo's data, and print the page's address and a sign-in.")
    var serve = false

    @Option(help: "Port for the review page with --serve (0 picks a free one).")
    var port: Int = 0

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.makeLogger("threadguard.demo")
        let folder = workdir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("threadguard-demo-\(ProcessInfo.processInfo.processIdentifier)")
        let demo = DemoRun(
            workdir: folder, policies: policies ?? ShippedFolders.locate("Policies"),
            connectors: connectors ?? ShippedFolders.locate("Connectors"),
            models: rulesOnly ? .none : model.map { .required($0) } ?? .ifPresent(ShippedFolders.locate("Models")), logger: logger)
        let outcome: DemoRun.Outcome
        do {
            outcome = try await demo.run(keepServing: serve ? { sandbox, config, environment, outcome in
                Self.printSummary(outcome)
                try await Self.serveReview(config: config, environment: environment, port: port, logger: logger)
            } : nil)
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        } catch let problem as ModelFile.Problem {
            FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        if !serve { Self.printSummary(outcome) }
        if !outcome.actionsMatch || !outcome.summary.sourceProblems.isEmpty { throw ExitCode(ExitCodes.needsAttention) }
    }

    static func printSummary(_ outcome: DemoRun.Outcome) {
        let s = outcome.summary
        print("ThreadGuard demo — six sandbox platforms at \(outcome.sandboxURL) (Facebook, Instagram, X, YouTube, Reddit, Mastodon)")
        print("polled   \(s.polled) items (\(outcome.posts) posts, \(outcome.comments) comments and replies) over libcurl")
        print("flagged  \(s.flagged) of \(s.decided) analysed")
        print("hidden   \(s.hidden) (on Mastodon, which cannot hide a reply, reported to the instance's moderators)")
        print("drafted  \(s.repliesDrafted) \"take this private\" replies; sent \(s.repliesSent) privately and \(s.publicRepliesSent) public pointers to the phone line (YouTube has no private messages)")
        if s.repliesAlreadyThere > 0 { print("skipped  \(s.repliesAlreadyThere) replies: the brand had already answered those comments on the platform") }
        if s.repliesHeld > 0 { print("held     \(s.repliesHeld) replies the reply guard sent back to a person") }
        if s.deadActions > 0 { print("failed   \(s.deadActions) actions (see the review queue)") }
        for problem in s.sourceProblems { print("problem  \(problem)") }
        let byPlatform = Dictionary(grouping: outcome.sandboxActions, by: \.platform)
        for platform in byPlatform.keys.sorted() {
            let actions = byPlatform[platform] ?? []
            let kinds = Dictionary(grouping: actions, by: \.kind).map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
            print("         \(platform.padding(toLength: 10, withPad: " ", startingAt: 0)) \(kinds)")
        }
        let replies = outcome.sandboxActions.filter { $0.kind == "private_reply" }.count
        let publicReplies = outcome.sandboxActions.filter { $0.kind == "public_reply" }.count
        print("sandbox  action log holds \(outcome.sandboxHides) hides, \(replies) private and \(publicReplies) public replies: \(outcome.actionsMatch ? "matches the summary" : "DOES NOT MATCH the summary")")
        print("queue    \(outcome.queue.open) items wait for a person, as \(outcome.queue.rows) rows (the same comment on six platforms is one row); \(outcome.queue.closedByAutomation) closed by the automation")
        print("examples (identifiers masked):")
        for line in s.examples { print("  \(line)") }
        print("database \(outcome.database)")
        print("actions  \(outcome.actionLog)")
    }

    /// The review page on the demo's database, with a fresh demo sign-in; runs until interrupted.
    static func serveReview(config: AppConfig, environment: [String: String], port: Int, logger: Logger) async throws {
        let database = try config.openDatabase()
        let password = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16))
        try? database.addUser(name: "demo", passwordHash: Bcrypt.hash(password, cost: 10), role: "admin", actor: "cli:demo")
        let judge = try config.makeJudge().judge
        try await serveReviewPage(config: config, database: database, judge: judge, environment: environment, host: "127.0.0.1",
                                  port: port, logger: logger) { "review   \($0)/login  — sign in as demo / \(password)  (Ctrl-C stops the demo)" }
    }
}
