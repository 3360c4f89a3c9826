import ArgumentParser
import Foundation
import ThreadGuardHTTP
import ThreadGuardWorkflow
import ThreadGuardYAML

struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Poll every configured source once, decide every new item and carry out the actions (for cron).",
        discussion: """
            Quiet unless something needs a person. Exit codes: 0 done; 3 a source failed or an action gave up \
            (the message says which and what to do); 78 the configuration, a policy or a manifest is invalid.
            """)

    @Option(help: "The configuration file.")
    var config: String = "threadguard.yaml"

    @Flag(help: "Print the summary even when not on a terminal.")
    var verbose = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.makeLogger("threadguard.poll")
        let summary: RunSummary
        do {
            let appConfig = try AppConfig.load(file: config)
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            summary = try await PollRun(config: appConfig, environment: ProcessInfo.processInfo.environment, http: http, logger: logger).run()
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        if verbose || isatty(STDOUT_FILENO) != 0 {
            print("polled \(summary.polled), flagged \(summary.flagged), hidden \(summary.hidden), replies drafted \(summary.repliesDrafted), sent \(summary.repliesSent)")
        }
        for problem in summary.sourceProblems { FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8)) }
        if summary.deadActions > 0 {
            FileHandle.standardError.write(Data("threadguard: \(summary.deadActions) actions gave up; see the review queue\n".utf8))
        }
        if summary.needsAttention { throw ExitCode(ExitCodes.needsAttention) }
    }
}
