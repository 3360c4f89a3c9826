import ArgumentParser
import Foundation
import ThreadGuardHTTP
import ThreadGuardLearn
import ThreadGuardWorkflow
import ThreadGuardYAML

struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Poll every configured source once, decide every new item and carry out the actions (for cron).",
        discussion: """
            Quiet unless something needs a person. Holds a lock beside the database: a run that finds another one \
            still going does nothing and exits 0 (say --verbose to hear about it). Exit codes: 0 done (or another run \
            holds the lock, or a source failed in passing: network trouble, 5xx and rate limits are retried by the next runs \
            and shown by `threadguard status`); 3 a person is needed: a source needs a new token or fails in a way retrying \
            cannot mend, or has failed for longer than failure_window (default 30m), an action or an alert gave up, or the \
            policies are broken (the message says which and what to do); 78 the configuration, a policy or a manifest is invalid.
            """)

    @Option(help: "The configuration file.")
    var config: String = "threadguard.yaml"

    @Flag(help: "Print the summary even when not on a terminal.")
    var verbose = false

    @Flag(help: "Print the summary as one JSON object on standard output (typed numbers), whatever the exit code.")
    var json = false

    @Option(help: ArgumentHelp("After the run, write the Prometheus metrics (the same as serve's /metrics) to this file, replaced atomically: for the node exporter's textfile collector (a *.prom file in its folder).", valueName: "file"))
    var metricsFile: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.makeLogger("threadguard.poll")
        let summary: RunSummary
        do {
            let appConfig = try AppConfig.load(file: config)
            // On SQLite one poll runs at a time (a lock beside the file); on PostgreSQL many do, each source leased to one.
            let lock = appConfig.usesPostgres ? nil : try PollLock.acquire(databasePath: appConfig.database)
            if !appConfig.usesPostgres, lock == nil {
                if verbose { FileHandle.standardError.write(Data("threadguard: another poll holds \(appConfig.database).lock; nothing to do\n".utf8)) }
                return
            }
            defer { withExtendedLifetime(lock) {} }
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            // Progress goes to a terminal only: under cron the run is quiet unless something needs a person.
            let onTerminal = isatty(STDERR_FILENO) != 0
            var progress: (@Sendable (String) -> Void)?
            if onTerminal {
                progress = { @Sendable line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
            summary = try await PollRun(config: appConfig, environment: ProcessInfo.processInfo.environment, http: http, logger: logger,
                                        progress: progress).run()
            if let metricsFile {
                do {
                    try MetricsFile.write(try MetricsExposition.render(config: appConfig, database: try appConfig.openStore()), to: metricsFile)
                } catch {
                    FileHandle.standardError.write(Data("threadguard: could not write the metrics file \(metricsFile): \(error.localizedDescription)\n".utf8))
                    throw ExitCode(ExitCodes.needsAttention)
                }
            }
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        } catch let problem as ModelFile.Problem {
            FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        if json {
            let object: [String: Any] = [
                "polled": summary.polled, "decided": summary.decided, "flagged": summary.flagged, "hidden": summary.hidden,
                "replies_drafted": summary.repliesDrafted, "replies_sent": summary.repliesSent, "public_replies_sent": summary.publicRepliesSent,
                "replies_already_there": summary.repliesAlreadyThere, "replies_held": summary.repliesHeld, "dead_actions": summary.deadActions,
                "needs_person": summary.sourceProblems, "retrying": summary.passingProblems, "needs_attention": summary.needsAttention,
                "alerts": ["queued": summary.alerts.queued, "sent": summary.alerts.sent, "failed": summary.alerts.failed, "gave_up": summary.alerts.gaveUp],
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else if verbose || isatty(STDOUT_FILENO) != 0 {
            print("polled \(summary.polled), flagged \(summary.flagged), hidden \(summary.hidden), replies drafted \(summary.repliesDrafted), sent \(summary.repliesSent) private and \(summary.publicRepliesSent) public")
        }
        for problem in summary.sourceProblems { FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8)) }
        if verbose {
            for problem in summary.passingProblems { FileHandle.standardError.write(Data("threadguard: retrying next run: \(problem)\n".utf8)) }
        }
        if summary.alerts.gaveUp > 0 {
            FileHandle.standardError.write(Data("threadguard: \(summary.alerts.gaveUp) alerts could not be sent after every retry; see `threadguard status`\n".utf8))
        }
        if summary.deadActions > 0 {
            FileHandle.standardError.write(Data("threadguard: \(summary.deadActions) actions gave up; see the review queue\n".utf8))
        }
        if summary.needsAttention { throw ExitCode(ExitCodes.needsAttention) }
    }
}

/// Writes a metrics file as the textfile collector wants it: a temporary file in the same folder, then one rename, so a
/// scrape never reads half of one.
enum MetricsFile {
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".\(getpid()).tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    }
}
