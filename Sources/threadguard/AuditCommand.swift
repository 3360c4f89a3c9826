import ArgumentParser
import Foundation
import ThreadGuardStore
import ThreadGuardWorkflow
import ThreadGuardYAML

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify and export the tamper-evident audit log.",
        subcommands: [Verify.self, Export.self])

    static func database(_ config: String) throws -> ThreadGuardDatabase {
        do {
            return try ThreadGuardDatabase(path: try AppConfig.load(file: config).database)
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain: exits 3 naming the first edited, deleted or reordered row.")
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func run() throws {
            let result = try AuditCommand.database(config).verifyAudit()
            if let problem = result.problem {
                print("audit log BROKEN after \(result.rows) rows: \(problem)")
                throw ExitCode(ExitCodes.needsAttention)
            }
            print("audit log OK: \(result.rows) rows, hash chain intact")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export audit entries (ids, actors, rules, states: never comment text).")
        @Option(help: "How far back: 30d, 12h or 45m.") var since: String = "30d"
        @Option(help: "csv or jsonl.") var format: String = "jsonl"
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func validate() throws {
            guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format takes csv or jsonl") }
            guard PolicyCommand.Replay.parseDuration(since) != nil else { throw ValidationError("--since takes a number and a unit: 30d, 12h or 45m") }
        }

        func run() throws {
            let from = Date().addingTimeInterval(-(PolicyCommand.Replay.parseDuration(since) ?? 0))
            let rows = try AuditCommand.database(config).auditEntries(since: from)
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
