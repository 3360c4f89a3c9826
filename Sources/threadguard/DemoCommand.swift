import ArgumentParser
import Foundation
import ThreadGuardDemo
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

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.makeLogger("threadguard.demo")
        let folder = workdir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("threadguard-demo-\(ProcessInfo.processInfo.processIdentifier)")
        let demo = DemoRun(
            workdir: folder, policies: policies ?? ShippedFolders.locate("Policies"),
            connectors: connectors ?? ShippedFolders.locate("Connectors"), logger: logger)
        let outcome: DemoRun.Outcome
        do {
            outcome = try await demo.run()
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        let s = outcome.summary
        print("ThreadGuard demo — six sandbox platforms at \(outcome.sandboxURL) (Facebook, Instagram, X, YouTube, Reddit, Mastodon)")
        print("polled   \(s.polled) items (\(outcome.posts) posts, \(outcome.comments) comments and replies) over libcurl")
        print("flagged  \(s.flagged) of \(s.decided) analysed")
        print("hidden   \(s.hidden) (on Mastodon, which cannot hide a reply, reported to the instance's moderators)")
        print("drafted  \(s.repliesDrafted) \"take this private\" replies; sent \(s.repliesSent) privately and \(s.publicRepliesSent) public pointers to the phone line (YouTube has no private messages)")
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
        print("examples (identifiers masked):")
        for line in s.examples { print("  \(line)") }
        print("database \(outcome.database)")
        print("actions  \(outcome.actionLog)")
        if !outcome.actionsMatch || !s.sourceProblems.isEmpty { throw ExitCode(ExitCodes.needsAttention) }
    }
}
