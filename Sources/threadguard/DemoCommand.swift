import ArgumentParser
import Foundation
import ThreadGuardDemo
import ThreadGuardYAML

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline once against the built-in sandbox platform on 127.0.0.1 and print a summary.")

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
        print("ThreadGuard demo — sandbox Facebook page at \(outcome.sandboxURL)")
        print("polled   \(s.polled) items (\(outcome.posts) posts, \(outcome.comments) comments and replies) over libcurl")
        print("flagged  \(s.flagged) of \(s.decided) analysed")
        print("hidden   \(s.hidden)")
        print("drafted  \(s.repliesDrafted) private replies, sent \(s.repliesSent)")
        if s.deadActions > 0 { print("failed   \(s.deadActions) actions (see the review queue)") }
        for problem in s.sourceProblems { print("problem  \(problem)") }
        let hides = outcome.sandboxActions.filter { $0.kind == "hide" }.count
        let replies = outcome.sandboxActions.filter { $0.kind == "private_reply" }.count
        print("sandbox  action log holds \(hides) hides and \(replies) private replies: \(outcome.actionsMatch ? "matches the summary" : "DOES NOT MATCH the summary")")
        print("examples (identifiers masked):")
        for line in s.examples { print("  \(line)") }
        print("database \(outcome.database)")
        print("actions  \(outcome.actionLog)")
        if !outcome.actionsMatch || !s.sourceProblems.isEmpty { throw ExitCode(ExitCodes.needsAttention) }
    }
}
