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
        @Option(help: "The output format.") var format: ExportFormatChoice = .csv
        @Flag(help: "The same as --format json: typed numbers and booleans, lists as lists, ids in order.") var json = false
        @Option(help: "Only records with this status.") var status: IntakeStatusChoice?
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func run() throws {
            let records = try AuditCommand.database(config).adverseEvents(status: status?.rawValue).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
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
            if json || format == .json {
                func list(_ text: String) -> [String] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]) ?? [] }
                let objects: [[String: Any]] = records.map { r in
                    [
                        "id": r.id ?? 0, "item_id": r.itemID, "platform": r.platform, "platform_id": r.platformID, "permalink": r.permalink ?? NSNull(),
                        "aware_at": iso.string(from: r.awareAt), "due_at": iso.string(from: r.dueAt), "status": r.status,
                        "reporter_identifiable": r.reporterIdentifiable, "reporter_handle": r.reporterHandle,
                        "patient_identifiable": r.patientIdentifiable, "patient_relation": r.patientRelation,
                        "suspect_products": list(r.suspectProducts), "event_terms": list(r.eventTerms), "complete": r.isComplete,
                        "rule_ids": list(r.ruleIDs),
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
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
