import ArgumentParser
import Foundation
import Logging
import ThreadGuardLearn
import ThreadGuardStore

@main
struct ThreadGuardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threadguard",
        abstract: "Keeps a healthcare organisation's public social threads safe: finds PHI and off-message comments, hides what must not stay public, drafts private replies.",
        version: ThreadGuardVersion.text,
        subcommands: [DemoCommand.self, PollCommand.self, ClassifyCommand.self, ModelCommand.self, PolicyCommand.self, AuditCommand.self, AdverseEventCommand.self, ReportCommand.self, BenchCommand.self, ConnectorCommand.self, ServeCommand.self, UserCommand.self, QueueCommand.self, StatusCommand.self, BackupCommand.self, RestoreCommand.self, PurgeCommand.self, MigrateCommand.self])

    static func main() async {
        if let problem = SubcommandSpelling.problem(Array(CommandLine.arguments.dropFirst()), root: Self.self) {
            FileHandle.standardError.write(Data((problem + "\n").utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await main(nil)
    }
}

/// What `threadguard --version` prints.
enum ThreadGuardVersion {
    static let number = "0.17.0"
    static var text: String { "threadguard \(number) (model format \(ModelFile.formatVersion), database schema v10)" }
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log level on standard error (default: $THREADGUARD_LOG_LEVEL, else warning).")
    var logLevel: Logger.Level?

    func validate() throws {
        if logLevel == nil, let text = ProcessInfo.processInfo.environment["THREADGUARD_LOG_LEVEL"], Logger.Level(argument: text) == nil {
            throw ValidationError("THREADGUARD_LOG_LEVEL is '\(text)'; use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func makeLogger(_ label: String) -> Logger {
        LogSetup.bootstrapOnce()
        var logger = Logger(label: label)
        logger.logLevel = logLevel ?? ProcessInfo.processInfo.environment["THREADGUARD_LOG_LEVEL"].flatMap(Logger.Level.init(argument:)) ?? .warning
        // Audit checkpoints are logged at notice level through the same handler.
        var audit = Logger(label: "threadguard.audit")
        audit.logLevel = logger.logLevel
        ThreadGuardDatabase.auditLogger = audit
        return logger
    }
}

enum LogSetup {
    nonisolated(unsafe) static var done = false
    static func bootstrapOnce() {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }
}

/// Exit codes, documented in README.md.
enum ExitCodes {
    /// Everything was done.
    static let ok: Int32 = 0
    /// Something needs a person: a source failed (token, permissions) or an action gave up.
    static let needsAttention: Int32 = 3
    /// Input the command could not read (a bad line in classify's input).
    static let dataError: Int32 = 65
    /// A service could not start (the review page's port is taken).
    static let unavailable: Int32 = 69
    /// Try again later (a poll holds the lock a restore needs).
    static let temporaryFailure: Int32 = 75
    /// An output file exists already or cannot be created (backup).
    static let cannotCreate: Int32 = 73
    /// The configuration, a policy or a connector manifest is invalid.
    static let configError: Int32 = 78
}

/// Finds the shipped `Policies/` and `Connectors/` folders: the working directory first, then the checkout the
/// binary was built in.
enum ShippedFolders {
    static func locate(_ name: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let here = (cwd as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: here) { return here }
        var folder = (CommandLine.arguments[0] as NSString).deletingLastPathComponent
        if !folder.hasPrefix("/") { folder = (cwd as NSString).appendingPathComponent(folder) }
        for _ in 0..<5 {
            let candidate = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return here
    }
}
