import ArgumentParser
import Foundation
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardWorkflow
import ThreadGuardYAML

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify and export the tamper-evident audit log.",
        subcommands: [Verify.self, Export.self, AcknowledgeRestore.self])

    static func database(_ config: String) throws -> any Store {
        try reporting { try AppConfig.load(file: config).openStore() }
    }

    /// The configured SQLite database, for the commands that work on its file.
    static func sqliteDatabase(_ config: String) throws -> ThreadGuardDatabase {
        try reporting { try AppConfig.load(file: config).openDatabase() }
    }

    static func reporting<T>(_ open: () throws -> T) throws -> T {
        do {
            return try open()
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("threadguard: \(error)\n".utf8))
            throw ExitCode(ExitCodes.needsAttention)
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit log: its keyed hash chain and the signed checkpoints of its head kept outside the database.",
            discussion: "Exits 3 naming the first edited, deleted, reordered or rewritten row, or the rows missing at the end. --head takes a checkpoint from the logs ('audit checkpoint' lines) as SEQ:HASH.")
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"
        @Option(help: "A head taken from the logs, as SEQ:HASH: the log must still hold that row with that hash.") var head: String?
        @Option(help: ArgumentHelp("Check this backup file (made by `threadguard backup`) instead of the configured database, with the configured audit key and checkpoints; checkpoints written after it was taken are expected.", valueName: "file"))
        var backup: String?

        func validate() throws {
            if let head, Self.parse(head) == nil { throw ValidationError("--head takes SEQ:HASH, e.g. 1234:9f86d0…") }
        }

        static func parse(_ text: String) -> (seq: Int64, hash: String)? {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let seq = Int64(parts[0]), seq > 0, parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else { return nil }
            return (seq, parts[1].lowercased())
        }

        func run() throws {
            let database: any Store
            if let backup {
                database = try BackupCommand.openBackup(backup, config: config)
            } else {
                database = try AuditCommand.database(config)
            }
            let result: AuditVerification
            do {
                result = try database.verifyAudit(expected: head.flatMap(Self.parse), asBackup: backup != nil)
            } catch {
                print("audit log BROKEN: it could not be read (\(type(of: error)))")
                throw ExitCode(ExitCodes.needsAttention)
            }
            for note in result.acknowledged { print("note: \(note)") }
            if let problem = result.problem {
                print("audit log BROKEN after \(result.rows) rows: \(problem)")
                throw ExitCode(ExitCodes.needsAttention)
            }
            print("audit log OK: \(result.rows) rows, hash chain intact" + (result.anchor.map { "; \($0)" } ?? ""))
        }
    }

    struct AcknowledgeRestore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "acknowledge-restore",
            abstract: "After restoring the database from a backup: record, signed, that the audit rows written since the backup are lost.",
            discussion: "Until then `audit verify` reports those rows as missing. The acknowledgement names who made it and is itself audited.")
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"
        @Option(name: .customLong("as"), help: "Who acknowledges (recorded; default: $USER).") var actor: String?

        func run() throws {
            let who = "cli:" + (actor ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown")
            guard let (head, lost) = try AuditCommand.database(config).acknowledgeRestore(actor: who) else {
                print("nothing to acknowledge: the log holds every checkpointed row")
                return
            }
            print("acknowledged: rows \(head + 1)–\(lost) were lost in the restore; the log now continues from row \(head)")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export audit entries (ids, actors, rules, states: never comment text).")
        @Option(help: "How far back: 30d, 12h or 45m.") var since: String = "30d"
        @Option(help: "csv or jsonl.") var format: String = "jsonl"
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func validate() throws {
            guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format takes csv or jsonl") }
            guard DurationText.seconds(since) != nil else { throw ValidationError("--since takes a number and a unit: 30d, 12h or 45m") }
        }

        func run() throws {
            let from = Date().addingTimeInterval(-(DurationText.seconds(since) ?? 0))
            let rows: [AuditRecord]
            do {
                rows = try AuditCommand.database(config).auditEntries(since: from)
            } catch let error as ExitCode {
                throw error
            } catch {
                FileHandle.standardError.write(Data("threadguard: the audit log could not be read (\(type(of: error))); run `threadguard audit verify`\n".utf8))
                throw ExitCode(ExitCodes.needsAttention)
            }
            let iso = ISO8601DateFormatter()
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if format == "csv" {
                print("id,at,actor,event,item_id,rule_ids,before,after,detail,hash")
                for row in rows {
                    let fields = [String(row.id ?? 0), iso.string(from: row.date), row.actor, row.event, row.itemID.map(String.init) ?? "",
                                  row.ruleIDs, row.before ?? "", row.after ?? "", row.detail ?? "", row.hash]
                    print(fields.map(Self.csv).joined(separator: ","))
                }
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                for row in rows {
                    let object: [String: String?] = [
                        "id": String(row.id ?? 0), "at": iso.string(from: row.date), "actor": row.actor, "event": row.event,
                        "item_id": row.itemID.map(String.init), "rule_ids": row.ruleIDs, "before": row.before, "after": row.after,
                        "detail": row.detail, "prev_hash": row.prevHash, "hash": row.hash,
                    ]
                    print(String(decoding: try encoder.encode(object), as: UTF8.self))
                }
            }
        }

        static func csv(_ field: String) -> String {
            field.contains(where: { [",", "\"", "\n"].contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
    }
}
