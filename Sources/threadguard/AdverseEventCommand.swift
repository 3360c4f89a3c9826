import ArgumentParser
import Foundation
import ThreadGuardStore

struct AdverseEventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ae",
        abstract: "Adverse-event intake records for the safety team.",
        subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export intake records (awareness time, due date, the four minimum criteria) as CSV or JSON.")
        @Option(help: "csv or json.") var format: String = "csv"
        @Option(help: "Only records with this status: open, reported, closed.") var status: String?
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func validate() throws {
            guard ["csv", "json"].contains(format) else { throw ValidationError("--format takes csv or json") }
            if let status, !["open", "reported", "closed"].contains(status) { throw ValidationError("--status takes open, reported or closed") }
        }

        func run() throws {
            let records = try AuditCommand.database(config).adverseEvents(status: status)
            let iso = ISO8601DateFormatter()
            func row(_ r: AdverseEventRecord) -> [String: String] {
                [
                    "id": String(r.id ?? 0), "item_id": String(r.itemID), "platform": r.platform, "platform_id": r.platformID,
                    "permalink": r.permalink ?? "", "aware_at": iso.string(from: r.awareAt), "due_at": iso.string(from: r.dueAt),
                    "status": r.status, "reporter_identifiable": String(r.reporterIdentifiable), "reporter_handle": r.reporterHandle,
                    "patient_identifiable": String(r.patientIdentifiable), "patient_relation": r.patientRelation,
                    "suspect_products": r.suspectProducts, "event_terms": r.eventTerms, "complete": String(r.isComplete),
                    "rule_ids": r.ruleIDs,
                ]
            }
            let columns = ["id", "item_id", "platform", "platform_id", "permalink", "aware_at", "due_at", "status",
                           "reporter_identifiable", "reporter_handle", "patient_identifiable", "patient_relation",
                           "suspect_products", "event_terms", "complete", "rule_ids"]
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(records.map(row)), as: UTF8.self))
            } else {
                print(columns.joined(separator: ","))
                for record in records {
                    let values = row(record)
                    print(columns.map { AuditCommand.Export.csv(values[$0] ?? "") }.joined(separator: ","))
                }
            }
        }
    }
}
