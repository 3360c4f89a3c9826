import ArgumentParser
import Foundation
import ThreadGuardWorkflow

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports over what ThreadGuard decided and did.",
        subcommands: [Consistency.self])

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per rule and category: automated or human, which template, how often reversed, median time to action, and similar items handled differently.")
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"
        @Flag(help: "One JSON object (typed numbers, ids sorted numerically).") var json = false

        func run() throws {
            let report = try ConsistencyReport.build(database: AuditCommand.database(config))
            guard json else {
                print(report.render())
                return
            }
            func group(_ g: ConsistencyReport.Group) -> [String: Any] {
                ["items": g.items, "automated": g.automated, "human": g.human, "templates": g.templates, "reversed": g.reversed,
                 "median_seconds_to_action": g.medianSecondsToAction ?? NSNull()]
            }
            let object: [String: Any] = [
                "by_rule": report.byRule.mapValues(group), "by_category": report.byCategory.mapValues(group),
                "divergences": report.divergences.map { d in
                    ["rules": d.rules, "handlings": d.handlings.mapValues { $0.sorted() }] as [String: Any]
                },
                "shadow": report.shadow.mapValues { ["items": $0.items.sorted(), "would_have": $0.wouldHave] as [String: Any] },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
