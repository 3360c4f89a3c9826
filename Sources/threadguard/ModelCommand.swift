import ArgumentParser
import Foundation
import ThreadGuardCore
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWorkflow

/// `threadguard model`: train, evaluate and cross-validate the learned detectors.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Train and measure the learned detectors.",
        subcommands: [Train.self, Evaluate.self, CrossValidate.self, ExportLabels.self])

    static func load(_ files: [String]) throws -> [LabelledComment] {
        try reportingBadData { try files.flatMap { try LabelledCorpus.load($0) } }
    }

    /// Runs `body`; a labelled file it cannot read is reported (file and line) and ends the command with exit 65.
    static func reportingBadData<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let problem as LabelledCorpus.Problem {
            FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8))
            throw ExitCode(ExitCodes.dataError)
        }
    }

    /// Text labelled by other teams, learned from beside the worlds and never scored (`--extra`, `--extra-spans`).
    struct ExtraTraining: ParsableArguments {
        @Option(name: .customLong("extra"), help: ArgumentHelp("A set labelled for one category: CATEGORY=FOLDER (gold.jsonl and FOLDER-NAME.jsonl), e.g. abuse=../shared/eval/external/davidson_abuse. Repeatable.", valueName: "category=folder"))
        var sets: [String] = []
        @Option(name: .customLong("extra-spans"), help: ArgumentHelp("A file of labelled identifier spans (the labelled-comment format) whose comment-level labels are not to be trusted. Repeatable.", valueName: "file"))
        var spanFiles: [String] = []
        @Option(help: "How much each extra text counts against one of our labelled comments.") var extraWeight: Float = 0.5

        /// Each `--extra` as (category, folder); nil where one is not CATEGORY=FOLDER.
        var parsed: [(category: String, folder: String)?] {
            sets.map { set in
                let parts = set.split(separator: "=", maxSplits: 1).map(String.init)
                return parts.count == 2 && CommentModel.categories.contains(parts[0]) ? (parts[0], parts[1]) : nil
            }
        }

        func validate() throws {
            if let bad = zip(sets, parsed).first(where: { $0.1 == nil })?.0 {
                throw ValidationError("--extra takes CATEGORY=FOLDER with CATEGORY one of \(CommentModel.categories.joined(separator: ", ")); got '\(bad)'")
            }
            guard extraWeight > 0, extraWeight <= 1 else { throw ValidationError("--extra-weight takes a number above 0 and at most 1") }
        }

        func load() throws -> [LabelledComment] {
            try ModelCommand.reportingBadData {
                try parsed.compactMap { $0 }.flatMap { try LabelledCorpus.loadOneCategory($0.folder, category: $0.category, weight: extraWeight) }
                    + spanFiles.flatMap { file in
                        try LabelledCorpus.load(file).map { comment in
                            var spansOnly = comment
                            spansOnly.knownLabels = []
                            spansOnly.trainingOnly = true
                            spansOnly.weight = extraWeight
                            return spansOnly
                        }
                    }
            }
        }

        var names: [String] { (parsed.compactMap { $0?.folder } + spanFiles).map { ($0 as NSString).lastPathComponent } }
    }

    /// Labelled files named one by one or as folders of `*.jsonl`.
    static func files(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted().map { path + "/" + $0 }
        }
    }

    static func policies(_ folder: String?) throws -> PolicySet { try PolicyCommand.load(folder).0 }

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

    /// Each category's F1 and each identifier type's span recall: mean and worst over the worlds that have it.
    static func detailTable(_ rows: [(String, [String: Double])]) -> String {
        let keys = CommentModel.categories.map { "cat.\($0).f1" }
            + Set(rows.flatMap { $0.1.keys.filter { $0.hasPrefix("spans.recall.") } }).sorted()
        var lines = ["| measure | mean | worst | worlds |", "|---|---|---|---|"]
        for key in keys {
            let values = rows.compactMap { $0.1[key] }
            guard !values.isEmpty else { continue }
            let name = key.hasPrefix("cat.") ? key.dropFirst(4).replacingOccurrences(of: ".f1", with: " F1") : key.dropFirst(13) + " span recall"
            lines.append(String(format: "| %@ | %.3f | %.3f | %d |", name, values.reduce(0, +) / Double(values.count), values.min()!, values.count))
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
        @OptionGroup var extra: ExtraTraining

        func run() throws {
            let files = ModelCommand.files(data)
            let own = try ModelCommand.load(files)
            guard !own.isEmpty else { throw ValidationError("no labelled comments in \(data.joined(separator: ", "))") }
            let extras = try extra.load()
            let comments = own + extras
            let policySet = try ModelCommand.policies(policies)
            let start = try from.map { try ModelCommand.readModels($0) }
            let started = Date()
            let prepared = LearningExamples(rules: Judge(policies: policySet)).prepareAll(comments)
            let worlds = Set(own.map(\.world)).sorted()
            var provenance = [
                "files": files.map { ($0 as NSString).lastPathComponent }.joined(separator: ","), "comments": String(own.count),
                "worlds": worlds.joined(separator: ","), "continued_from": start == nil ? "" : "a previous model",
            ]
            if !extras.isEmpty {
                provenance["extra"] = extra.names.joined(separator: ",")
                provenance["extra_texts"] = String(extras.count)
            }
            let models = CrossValidation().train(comments, prepared: prepared, start: start, provenance: provenance)
            try ModelFile.write(models, to: out)
            let size = (try? FileManager.default.attributesOfItem(atPath: out + "/" + ModelFile.fileName)[.size] as? Int) ?? 0
            print(String(format: "trained on %d comments from %d worlds%@ in %.0f s; wrote %@/%@ (%.1f MB)", own.count, worlds.count,
                         extras.isEmpty ? "" : " and \(extras.count) texts labelled by other teams",
                         Date().timeIntervalSince(started), out, ModelFile.fileName, Double(size) / 1_048_576))
        }
    }

    /// The learned detectors a judging command uses: `--model DIR` (required to load), else the shipped `Models/` when
    /// it holds a model, none with `--rules-only`.
    static func chosenModels(_ model: String?, rulesOnly: Bool) throws -> LearnedModels? {
        guard !rulesOnly else { return nil }
        let folder = model ?? ShippedFolders.locate("Models")
        guard model != nil || FileManager.default.fileExists(atPath: folder + "/" + ModelFile.fileName) else { return nil }
        return try readModels(folder)
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

    struct ExportLabels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-labels",
            abstract: "Write the review queue's outcomes as labelled JSON lines for `model train`.",
            discussion: """
                Dismissed items become false alarms, items a person unhid become "not to hide", and approved, hidden or \
                escalated items confirm the decision. The file holds the comments' text (it is created readable by its owner \
                only and must stay on this machine); --without-text writes ids and labels only.
                """)
        @Option(help: "How far back: 90d, 12h.") var since: String = "90d"
        @Option(help: "The file to write.") var out: String
        @Flag(help: "Leave the comments' text out (ids and labels only).") var withoutText = false
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func validate() throws {
            guard DurationText.seconds(since) != nil else { throw ValidationError("--since takes a number and a unit: 90d, 12h or 45m") }
        }

        func run() throws {
            let database = try loadConfig(config).openDatabase()
            let outcomes = try database.reviewOutcomes(since: Date().addingTimeInterval(-(DurationText.seconds(since) ?? 0)))
            let export = try ReviewLabels.export(outcomes, withText: !withoutText)
            try PrivateFiles.withOwnerOnlyCreation {
                try (export.lines.joined(separator: "\n") + (export.lines.isEmpty ? "" : "\n")).write(toFile: out, atomically: true, encoding: .utf8)
            }
            PrivateFiles.ownerOnly(out)
            print("wrote \(export.lines.count) labelled comments to \(out): \(export.confirmed) decisions confirmed, \(export.dismissed) dismissed, \(export.unhidden) unhidden"
                  + (withoutText ? " (without their text)" : " (with their text: keep the file on this machine)"))
        }
    }

    struct CrossValidate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cross-validate",
            abstract: "Leave one world out: for each labelled file, train on all the others and score the one left out, end to end.")
        @Argument(help: "Labelled JSON-lines files (one world each), or folders of them.") var data: [String]
        @Option(help: "The policies folder (its rules give the models features, and decide the actions).") var policies: String?
        @Flag(help: "Also score the rules alone on each world, for comparison.") var rules = false
        @OptionGroup var extra: ExtraTraining

        func run() throws {
            let comments = try ModelCommand.load(ModelCommand.files(data)) + extra.load()
            let policySet = try ModelCommand.policies(policies)
            let started = Date()
            let prepared = LearningExamples(rules: Judge(policies: policySet)).prepareAll(comments)
            let scores = CrossValidation().run(comments, prepared: prepared, policies: policySet)
            print("Leave one world out (trained on the other worlds, scored end to end):\n")
            print(ModelCommand.table(scores.map { ($0.world, $0.metrics) }))
            print("\nPer category and identifier type (mean and worst over the worlds left out that have it):\n")
            print(ModelCommand.detailTable(scores.map { ($0.world, $0.metrics) }))
            if rules {
                let judge = Judge(policies: policySet)
                let rows = CrossValidation.worlds(comments).map { world in (world, CrossValidation.score(comments.filter { $0.world == world }, judge: judge)) }
                print("\nThe rules alone:\n")
                print(ModelCommand.table(rows))
                print("")
                print(ModelCommand.detailTable(rows))
            }
            print(String(format: "\n%d comments, %d worlds, %.0f s", comments.count, scores.count, Date().timeIntervalSince(started)))
        }
    }
}
