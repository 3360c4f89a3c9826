import ArgumentParser
import Foundation
import Logging
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardWorkflow

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the SQLite database to PostgreSQL, then check that every table holds as many rows and the audit log is identical.",
        discussion: """
            Safe to rerun: rows already in PostgreSQL are skipped, so an interrupted copy is finished by running it again. \
            The audit log must verify before anything is copied. Holds the poll lock while it copies (stop `serve` too: \
            the copy is of one moment). The password comes from the variable --password-env names, never from the \
            address. Exit codes: 0 copied and checked; 3 the audit log does not verify or the copy differs; 75 a poll is \
            running; 78 the configuration or the address is invalid. (PostgreSQL as the store of poll and serve is \
            being built: see docs/OPERATIONS.md.)
            """)

    @Option(name: .customLong("to"), help: ArgumentHelp("The PostgreSQL database: postgres://USER@HOST[:PORT]/DATABASE[?sslmode=require].", valueName: "address"))
    var destination: String
    @Option(help: "The environment variable holding the PostgreSQL password.") var passwordEnv: String?
    @Option(help: "The configuration file (for the SQLite database).") var config: String = "threadguard.yaml"
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.makeLogger("threadguard.migrate")
        let appConfig = try loadConfig(config)
        let location: PostgresLocation
        do {
            location = try PostgresLocation.parse(destination, passwordEnv: passwordEnv, environment: ProcessInfo.processInfo.environment)
        } catch let problem as PostgresLocation.Problem {
            FileHandle.standardError.write(Data("threadguard: --to: \(problem)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        try appConfig.requireSQLite()
        guard let lock = try PollLock.acquire(databasePath: appConfig.database) else {
            FileHandle.standardError.write(Data("threadguard: a poll is running on \(appConfig.database); stop the timer and try again\n".utf8))
            throw ExitCode(ExitCodes.temporaryFailure)
        }
        defer { withExtendedLifetime(lock) {} }
        let source = try appConfig.openDatabase()
        let audit = try source.verifyAudit()
        if let problem = audit.problem {
            FileHandle.standardError.write(Data("threadguard: the audit log does not verify (\(problem)); nothing copied\n".utf8))
            throw ExitCode(ExitCodes.needsAttention)
        }
        let target = try await PostgresStore.open(location, logger: logger)
        defer { target.close() }
        for table in StoreTables.all {
            var after: Int64 = 0
            while true {
                let (rows, last) = try source.exportRows(table, after: after, limit: 2_000)
                guard let last else { break }
                try await target.importRows(table, rows)
                after = last
            }
        }
        var differences: [String] = []
        for table in StoreTables.all {
            let (here, there) = (try source.rowCount(table), try await target.rowCount(table))
            print("\(table.name): \(here) rows in SQLite, \(there) in PostgreSQL")
            if here != there { differences.append("\(table.name) holds \(there) rows in PostgreSQL, \(here) in SQLite") }
        }
        if let mismatch = try await Self.compareAudit(source, target) { differences.append(mismatch) }
        guard differences.isEmpty else {
            for difference in differences { FileHandle.standardError.write(Data("threadguard: \(difference)\n".utf8)) }
            throw ExitCode(ExitCodes.needsAttention)
        }
        print("copied and checked: every table holds as many rows, and the audit log's \(audit.rows) rows are identical (the chain verified before copying)")
    }

    /// The first audit row that differs between the two stores, or nil when every row is the same, field for field.
    static func compareAudit(_ source: ThreadGuardDatabase, _ target: PostgresStore) async throws -> String? {
        guard let table = StoreTables.all.first(where: { $0.name == "audit" }) else { return nil }
        var after: Int64 = 0
        while true {
            let (here, last) = try source.exportRows(table, after: after, limit: 2_000)
            let there = try await target.rows(table, after: after, limit: 2_000)
            guard here.count == there.count else { return "the audit log differs after row \(after)" }
            for (a, b) in zip(here, there) where a != b {
                if case .int(let id) = a.first { return "audit row \(id) differs between the two stores" }
                return "an audit row differs between the two stores"
            }
            guard let last else { return nil }
            after = last
        }
    }
}
