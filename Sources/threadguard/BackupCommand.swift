import ArgumentParser
import Foundation
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardWorkflow
import ThreadGuardYAML

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a new file, consistent while poll and serve go on writing.",
        discussion: """
            The copy is one consistent moment of the database (SQLite's VACUUM INTO, one read transaction: writers are \
            never blocked, and unlike the page-by-page backup API it cannot be restarted forever by a busy poll), written \
            to FILE.partial and renamed to FILE when complete, readable by its owner only. The audit key and the \
            checkpoint file live outside the database and are not in the copy: back them up separately (see \
            docs/OPERATIONS.md). Check a copy with `threadguard audit verify --backup FILE`. Exit codes: 0 written; \
            73 FILE exists or cannot be written; 78 the configuration is invalid.
            """)

    @Argument(help: "The new file (must not exist).") var file: String
    @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

    func run() throws {
        guard !FileManager.default.fileExists(atPath: file) else {
            FileHandle.standardError.write(Data("threadguard: \(file) already exists; name a new file (backups are never overwritten)\n".utf8))
            throw ExitCode(ExitCodes.cannotCreate)
        }
        let database = try AuditCommand.sqliteDatabase(config)
        let partial = file + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        let started = Date()
        do {
            try database.backup(to: partial)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            FileHandle.standardError.write(Data("threadguard: could not write \(partial): \(error)\n".utf8))
            throw ExitCode(ExitCodes.cannotCreate)
        }
        chmod(partial, 0o600)
        guard rename(partial, file) == 0 else {
            FileHandle.standardError.write(Data("threadguard: could not rename \(partial) to \(file): \(String(cString: strerror(errno)))\n".utf8))
            throw ExitCode(ExitCodes.cannotCreate)
        }
        let copy = try Self.openBackup(file, config: config)
        let counts = try copy.counts()
        print("backup written: \(file) (taken \(ISO8601DateFormatter().string(from: started)); \(counts.items) items, audit rows 1–\(counts.auditRows))")
        print("keep with it: the audit key (\(database.anchor.keySource)) and the checkpoint file (\(database.anchor.checkpointPath)); they are not in the copy")
    }

    /// A backup file opened with the configuration's audit key and checkpoints (the copy keeps the database's id).
    static func openBackup(_ file: String, config: String) throws -> ThreadGuardDatabase {
        guard FileManager.default.fileExists(atPath: file) else {
            FileHandle.standardError.write(Data("threadguard: no backup file at \(file)\n".utf8))
            throw ExitCode(ExitCodes.dataError)
        }
        do {
            return try ThreadGuardDatabase(path: file, audit: try AppConfig.load(file: config).audit)
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("threadguard: \(file) is not a readable ThreadGuard database: \(error)\n".utf8))
            throw ExitCode(ExitCodes.dataError)
        }
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a backup: the current file is kept aside, and the audit rows lost are acknowledged.",
        discussion: """
            Stop `serve` first; a poll that is running makes this wait for nothing: restore refuses while one holds the \
            lock. The backup's audit log must verify against the checkpoints; the current database is renamed \
            DATABASE.before-restore-TIME (with its WAL), the backup copied in, and the audit rows written after the \
            backup was taken are acknowledged as lost, signed, in your name (`audit acknowledge-restore`).
            """)

    @Argument(help: "A file written by `threadguard backup`.") var file: String
    @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"
    @Option(name: .customLong("as"), help: "Who restores (recorded in the audit log; default: $USER).") var actor: String?

    func run() throws {
        let appConfig: AppConfig
        do { appConfig = try AppConfig.load(file: config) } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        let check = try BackupCommand.openBackup(file, config: config).verifyAudit(asBackup: true)
        if let problem = check.problem {
            FileHandle.standardError.write(Data("threadguard: the backup's audit log does not verify: \(problem); not restored\n".utf8))
            throw ExitCode(ExitCodes.needsAttention)
        }
        try appConfig.requireSQLite()
        guard let lock = try PollLock.acquire(databasePath: appConfig.database) else {
            FileHandle.standardError.write(Data("threadguard: a poll is running on \(appConfig.database); wait for it (and stop the cron job) and try again\n".utf8))
            throw ExitCode(ExitCodes.temporaryFailure)
        }
        defer { withExtendedLifetime(lock) {} }
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let aside = appConfig.database + ".before-restore-" + stamp
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: appConfig.database + suffix) {
            try fm.moveItem(atPath: appConfig.database + suffix, toPath: aside + suffix)
        }
        try fm.copyItem(atPath: file, toPath: appConfig.database)
        chmod(appConfig.database, 0o600)
        let who = "cli:" + (actor ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown")
        let database = try appConfig.openDatabase()
        if let (head, lost) = try database.acknowledgeRestore(actor: who) {
            print("restored \(file); audit rows \(head + 1)–\(lost) written after the backup are acknowledged as lost by \(who)")
        } else {
            print("restored \(file); no audit rows were lost")
        }
        print("the database it replaced is kept as \(aside)")
    }
}

struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Retention: remove items older than a cutoff, keeping the audit chain verifiable.",
        discussion: """
            Removes the threads whose every item was created before the cutoff, with their decisions, findings, outbox \
            actions, reviews and reported or closed intakes. Never removes a thread holding an open adverse-event intake \
            or an item still open in the review queue. Audit rows stay (they hold ids, never comment text), so \
            `audit verify` still passes; the purge is itself audited with what it removed. Safe while poll runs \
            (small transactions). --dry-run counts only.
            """)

    @Option(help: ArgumentHelp("How old an item must be: \(DurationText.example).", valueName: "age")) var olderThan: String
    @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"
    @Flag(help: "Count what would be removed; remove nothing.") var dryRun = false
    @Option(name: .customLong("as"), help: "Who purges (recorded in the audit log; default: $USER).") var actor: String?

    func validate() throws {
        guard let seconds = DurationText.seconds(olderThan), seconds > 0 else {
            throw ValidationError("--older-than takes a number and a unit: \(DurationText.example)")
        }
    }

    func run() throws {
        let cutoff = Date().addingTimeInterval(-(DurationText.seconds(olderThan) ?? 0))
        let who = "cli:" + (actor ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown")
        let report = try AuditCommand.database(config).purge(before: cutoff, actor: who, dryRun: dryRun)
        let verb = dryRun ? "would remove" : "removed"
        print("\(verb) \(report.removedItems) items created before \(ISO8601DateFormatter().string(from: cutoff)) (and \(report.removedIntakes) reported or closed intakes)")
        print("kept \(report.keptForOpenIntake) in threads with an open adverse-event intake, \(report.keptForOpenReview) in threads open in the review queue")
        if !dryRun { print("removed \(report.removedAlerts) sent alerts and \(report.removedSessions) expired sessions; the purge is in the audit log") }
    }
}
