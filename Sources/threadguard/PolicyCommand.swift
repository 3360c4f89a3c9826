import ArgumentParser
import Foundation
import ThreadGuardCore
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWorkflow
import ThreadGuardYAML

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check, test, explain and rehearse the policies in Policies/.",
        subcommands: [Check.self, Test.self, Explain.self, Replay.self])

    /// The policies folder a command works on: the one named, else the `policies:` of the configuration given with
    /// --config (or of threadguard.yaml in the working directory), else the shipped Policies/.
    static func folder(_ directory: String?, config: String?) throws -> String {
        if let directory { return directory }
        if let file = config ?? (FileManager.default.fileExists(atPath: "threadguard.yaml") ? "threadguard.yaml" : nil) {
            return try loadConfig(file).policies
        }
        return ShippedFolders.locate("Policies")
    }

    /// Loads a policies folder (see `folder`), printing every problem and exiting 78 when it is invalid.
    static func load(_ directory: String?, config: String? = nil) throws -> (PolicySet, String) {
        let folder = try Self.folder(directory, config: config)
        do {
            return (try PolicyLoader.load(directory: folder), folder)
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("\(error)\n\(error.issues.count) problem(s) in \(folder)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the policies: every problem at once, with file:line:column.")
        @Argument(help: "The policies folder (default: the configuration's `policies:`, else the shipped Policies/).") var directory: String?
        @Option(help: "A configuration file whose `policies:` folder to use (default: threadguard.yaml here, if any).") var config: String?

        func run() throws {
            let (set, folder) = try PolicyCommand.load(directory, config: config)
            print("\(folder): OK — \(set.rules.count) rules, \(set.detectors.count) detectors, \(set.templates.count) templates, \(set.lexicons.count) lexicons")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the tests each rule carries and print failures with the explanation.")
        @Argument(help: "The policies folder (default: the configuration's `policies:`, else the shipped Policies/).") var directory: String?
        @Option(help: "Test the rules with this model folder's learned detectors underneath (detectors are tested as written).") var model: String?
        @Option(help: "A configuration file whose `policies:` folder to use (default: threadguard.yaml here, if any).") var config: String?
        @Flag(help: "One JSON object: passed, failed and each failure (typed numbers).") var json = false

        func run() throws {
            let (set, folder) = try PolicyCommand.load(directory, config: config)
            let models = try model.map { try ModelCommand.readModels($0) }
            let (passed, failures) = PolicyTestRunner(policies: set, models: models).run()
            if json {
                let object: [String: Any] = [
                    "policies": folder, "passed": passed, "failed": failures.count, "model": model ?? NSNull(),
                    "failures": failures.map { ["location": $0.location, "rule": $0.ruleID, "expected_match": $0.expectedMatch, "text": $0.text,
                                                "explanation": $0.explanation] as [String: Any] },
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
                if !failures.isEmpty { throw ExitCode.failure }
                return
            }
            for failure in failures {
                print("FAIL \(failure.location) \(failure.ruleID): expected \(failure.expectedMatch ? "a match" : "no match") for \"\(failure.text)\"")
                for line in failure.explanation { print("     \(line)") }
            }
            print("\(passed) passed, \(failures.count) failed")
            // Without --model the rules are tested as written; where a model ships, say how the cases fare with it
            // underneath (what `classify` and `poll` do), without failing on it.
            let shipped = ShippedFolders.locate("Models")
            if model == nil, let learned = try? ModelCommand.chosenModels(nil, rulesOnly: false) {
                let (withModel, differ) = PolicyTestRunner(policies: set, models: learned).run()
                print("with the learned detectors of \(shipped) underneath: \(withModel) passed, \(differ.count) failed"
                      + (differ.isEmpty ? "" : " (see them with --model \(shipped))"))
            }
            if !failures.isEmpty { throw ExitCode.failure }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every detector and rule that fires for a text (or a stored item), and why.")
        @Argument(help: "The comment text.") var text: String?
        @Option(help: "A stored item's id (with --config) instead of a text.") var item: Int64?
        @Option(help: "The configuration file (for --item, and for its `policies:` folder; default: threadguard.yaml here, if any).") var config: String?
        @Option(help: "The policies folder (default: the configuration's `policies:`, else the shipped Policies/).") var policies: String?
        @Option(help: "A model folder for the learned detectors (default: the shipped Models/ when present).") var model: String?
        @Flag(help: "Explain the rules alone, without the learned detectors.") var rulesOnly = false

        func validate() throws {
            if (text == nil) == (item == nil) { throw ValidationError("give either a TEXT or --item ID") }
        }

        func run() throws {
            let (set, _) = try PolicyCommand.load(policies, config: config)
            // The same detectors `classify` and `poll` judge with: the shipped model unless told otherwise.
            let judge = Judge(policies: set, models: try ModelCommand.chosenModels(model, rulesOnly: rulesOnly))
            var subject = Judge.Subject(text: text ?? "")
            if let item {
                let appConfig: AppConfig
                appConfig = try loadConfig(config ?? "threadguard.yaml")
                let database = try appConfig.openDatabase()
                guard let record = try database.item(id: item) else { throw ValidationError("no item with id \(item) in \(appConfig.database)") }
                let context = try database.ancestors(of: record).map { ThreadContextEntry(role: $0.isBrand ? .brand : .user, text: $0.text) }
                let stored = record.item
                subject = Judge.Subject(text: stored.text, context: context, platform: stored.platform, kind: stored.kind,
                                        author: stored.authorName, isBrand: stored.isBrand)
            }
            let text = subject.text
            let (analysis, decision, outcome) = judge.judge(subject, explain: true)
            print("phi: \(analysis.phi) (score \(analysis.score), about \(analysis.subject.rawValue))")
            for step in analysis.explanation { print("  \(step)") }
            for finding in analysis.findings {
                print("  \(finding.type.rawValue) [\(finding.start),\(finding.end)) by \(finding.recognizer): \(finding.explanation.joined(separator: "; "))")
            }
            print("categories: \(outcome.categories.map(\.rawValue).joined(separator: ", "))")
            for id in outcome.detectors { print("  detector \(id): \(outcome.why[id]?.joined(separator: ", ") ?? "")") }
            print("rules:")
            for id in decision.rules { print("  \(id): selections \(outcome.why[id]?.joined(separator: ", ") ?? "")") }
            for id in outcome.shadowRules { print("  \(id) (shadow, would fire): \(outcome.why[id]?.joined(separator: ", ") ?? "")") }
            print("actions: " + decision.actions.map { "\($0.rawValue) (\(decision.automation(for: $0)))" }.joined(separator: ", ")
                  + "  priority \(decision.priority)")
            if !decision.shadowActions.isEmpty {
                print("shadow rules would add: \(decision.shadowActions.map(\.rawValue).joined(separator: ", ")) (recorded, not carried out)")
            }
            if let reply = judge.engine.draftReply(for: decision, language: Judge.language(of: text)) { print("reply draft: \(reply)") }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-evaluate stored items with a changed policy set and report what would change, without acting.")
        @Option(help: "How far back: 30d, 12h.") var since: String = "30d"
        @Option(help: "The policies to rehearse (default: the configuration's `policies:`).") var policies: String?
        @Option(help: "A model folder to rehearse (a retrained model, before anyone switches to it).") var model: String?
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func run() async throws {
            let (set, folder) = try PolicyCommand.load(policies, config: config)
            let models = try model.map { try ModelCommand.readModels($0) }
            guard let seconds = DurationText.seconds(since) else {
                throw ValidationError("--since takes a number and a unit: 30d, 12h or 45m")
            }
            let appConfig: AppConfig
            do { appConfig = try AppConfig.load(file: config) } catch let error as YAMLIssues {
                FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
                throw ExitCode(ExitCodes.configError)
            }
            try appConfig.requireSQLite()
            let report = try PolicyReplay(databasePath: appConfig.database, audit: appConfig.audit, policies: set, models: models)
                .run(since: Date().addingTimeInterval(-seconds))
            print("replayed \(report.items) items from the last \(since) with \(folder)" + (model.map { " and the model in \($0)" } ?? ""))
            print("would hide \(report.newlyHidden.count) more, \(report.noLongerHidden.count) fewer; \(report.changed.count) decisions change")
            for change in report.changed {
                print("  item \(change.itemID) (\(change.platform) \(change.platformID)): [\(change.before.joined(separator: ","))] -> [\(change.after.joined(separator: ","))] rules \(change.rules.joined(separator: ","))")
            }
            // Shadow rules act on nothing: what they would do with this set, and what they recorded when items were decided.
            for rule in Set(report.shadow.keys).union(report.recordedShadow.keys).sorted() {
                let now = report.shadow[rule] ?? ([], [])
                let ids = now.items.prefix(20).map(String.init).joined(separator: ",")
                print("shadow \(rule): would fire on \(now.items.count) items (would have hidden \(now.wouldHide.count))"
                      + (ids.isEmpty ? "" : " [\(ids)\(now.items.count > 20 ? ",…" : "")]")
                      + "; recorded on \(report.recordedShadow[rule]?.count ?? 0) when they were decided")
            }
        }
    }
}
