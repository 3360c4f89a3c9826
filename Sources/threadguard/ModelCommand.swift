import ArgumentParser
import Foundation
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardWorkflow

/// `threadguard model`: train, evaluate and cross-validate the learned detectors.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Train and measure the learned detectors.",
        subcommands: [CrossValidate.self])

    static func load(_ files: [String]) throws -> [LabelledComment] {
        var comments: [LabelledComment] = []
        for file in files {
            do {
                comments += try LabelledCorpus.load(file)
            } catch let problem as LabelledCorpus.Problem {
                FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8))
                throw ExitCode(ExitCodes.dataError)
            }
        }
        return comments
    }

    /// Labelled files named one by one or as folders of `*.jsonl`.
    static func files(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted().map { path + "/" + $0 }
        }
    }

    static func policies(_ folder: String?) throws -> PolicySet {
        try PolicyLoader.load(directory: folder ?? ShippedFolders.locate("Policies"))
    }

    /// The score.py figures as a table, one row per world, then the mean and the worst world.
    static let columns = ["phi.recall", "phi.precision", "phi.f2", "spans.recall", "spans.precision", "cat.micro_f1", "cat.adverse_event.recall",
                          "hide.precision", "hide.recall", "private_reply.precision", "private_reply.recall"]

    static func table(_ rows: [(String, [String: Double])], columns: [String] = columns) -> String {
        func short(_ column: String) -> String {
            column.replacingOccurrences(of: "private_reply", with: "reply").replacingOccurrences(of: "cat.adverse_event", with: "AE")
                .replacingOccurrences(of: "precision", with: "P").replacingOccurrences(of: "recall", with: "R").replacingOccurrences(of: "micro_f1", with: "micro-F1")
        }
        var lines = ["| world | " + columns.map(short).joined(separator: " | ") + " |", "|---|" + columns.map { _ in "---" }.joined(separator: "|") + "|"]
        for (name, metrics) in rows { lines.append("| \(name) | " + columns.map { String(format: "%.3f", metrics[$0] ?? 0) }.joined(separator: " | ") + " |") }
        if rows.count > 1 {
            let mean = columns.map { c in rows.map { $0.1[c] ?? 0 }.reduce(0, +) / Double(rows.count) }
            let worst = columns.map { c in rows.map { $0.1[c] ?? 0 }.min() ?? 0 }
            lines.append("| **mean** | " + mean.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |")
            lines.append("| **worst** | " + worst.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    struct CrossValidate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cross-validate",
            abstract: "Leave one world out: for each labelled file, train on all the others and score the one left out, end to end.")
        @Argument(help: "Labelled JSON-lines files (one world each), or folders of them.") var data: [String]
        @Option(help: "The policies folder (its rules give the models features, and decide the actions).") var policies: String?
        @Flag(help: "Also score the rules alone on each world, for comparison.") var rules = false

        func run() throws {
            let comments = try ModelCommand.load(ModelCommand.files(data))
            let policySet = try ModelCommand.policies(policies)
            let started = Date()
            let prepared = LearningExamples(rules: Judge(policies: policySet)).prepareAll(comments)
            let scores = CrossValidation().run(comments, prepared: prepared, policies: policySet)
            print("Leave one world out (trained on the other worlds, scored end to end):\n")
            print(ModelCommand.table(scores.map { ($0.world, $0.metrics) }))
            if rules {
                let judge = Judge(policies: policySet)
                let worlds = Array(Set(comments.map(\.world))).sorted()
                let rows = worlds.map { world in (world, CrossValidation.score(comments.filter { $0.world == world }, judge: judge)) }
                print("\nThe rules alone:\n")
                print(ModelCommand.table(rows))
            }
            print(String(format: "\n%d comments, %d worlds, %.0f s", comments.count, scores.count, Date().timeIntervalSince(started)))
        }
    }
}
