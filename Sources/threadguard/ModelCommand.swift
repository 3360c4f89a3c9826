import ArgumentParser
import Foundation
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardWorkflow

/// `threadguard model`: train, evaluate and cross-validate the learned detectors.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Train and measure the learned detectors.",
        subcommands: [Train.self, Evaluate.self, CrossValidate.self])

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

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the learned detectors on labelled comments and write the model file to a folder.",
            discussion: "The same data, policies and seed give a byte-identical model file.")
        @Argument(help: "Labelled JSON-lines files (one world each), or folders of them.") var data: [String]
        @Option(help: "Folder to write threadguard.model to.") var out: String
        @Option(help: "The policies folder (its rules give the models features).") var policies: String?
        @Option(help: "Continue from the weights of this model folder (when the base corpus is not at hand).") var from: String?

        func run() throws {
            let files = ModelCommand.files(data)
            let comments = try ModelCommand.load(files)
            guard !comments.isEmpty else { throw ValidationError("no labelled comments in \(data.joined(separator: ", "))") }
            let policySet = try ModelCommand.policies(policies)
            let start = try from.map { try ModelCommand.readModels($0) }
            let started = Date()
            let prepared = LearningExamples(rules: Judge(policies: policySet)).prepareAll(comments)
            let worlds = Set(comments.map(\.world)).sorted()
            let models = CrossValidation().train(comments, prepared: prepared, start: start, provenance: [
                "files": files.map { ($0 as NSString).lastPathComponent }.joined(separator: ","), "comments": String(comments.count),
                "worlds": worlds.joined(separator: ","), "continued_from": start == nil ? "" : "a previous model",
            ])
            try ModelFile.write(models, to: out)
            let size = (try? FileManager.default.attributesOfItem(atPath: out + "/" + ModelFile.fileName)[.size] as? Int) ?? 0
            print(String(format: "trained on %d comments from %d worlds in %.0f s; wrote %@/%@ (%.1f MB)", comments.count, worlds.count,
                         Date().timeIntervalSince(started), out, ModelFile.fileName, Double(size) / 1_048_576))
        }
    }

    static func readModels(_ folder: String) throws -> LearnedModels {
        do {
            return try ModelFile.read(folder: folder)
        } catch let problem as ModelFile.Problem {
            FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score the model on labelled comments (score.py's figures) and print each label's threshold table.")
        @Argument(help: "A labelled JSON-lines file.") var gold: String
        @Option(help: "The model folder (default: the shipped Models/).") var model: String?
        @Option(help: "The policies folder.") var policies: String?

        func run() throws {
            let comments = try ModelCommand.load([gold])
            let models = try ModelCommand.readModels(model ?? ShippedFolders.locate("Models"))
            let judge = Judge(policies: try ModelCommand.policies(policies), models: models)
            print(ModelCommand.table([((gold as NSString).lastPathComponent, CrossValidation.score(comments, judge: judge))]))
            print("\nthreshold tables (precision / recall at each threshold, on worlds held out in training):")
            for (k, label) in CommentModel.labels.enumerated() {
                let rows = models.comments.tables[k].filter { Int(($0.threshold * 100).rounded()) % 10 == 0 || $0.threshold == models.comments.thresholds[k] }
                print("  \(label) (threshold \(String(format: "%.2f", models.comments.thresholds[k]))): "
                      + rows.map { String(format: "%.2f %.2f/%.2f", $0.threshold, $0.precision, $0.recall) }.joined(separator: "  "))
            }
            for (key, value) in models.provenance.sorted(by: { $0.key < $1.key }) where !value.isEmpty { print("  trained on \(key): \(value)") }
        }
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
