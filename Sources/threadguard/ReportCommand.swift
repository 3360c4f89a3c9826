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

        func run() throws {
            print(try ConsistencyReport.build(database: AuditCommand.database(config)).render())
        }
    }
}
