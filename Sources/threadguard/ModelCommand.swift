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

    struct CrossValidate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cross-validate",
            abstract: "Leave one world out: for each labelled file, train on all the others and score the one left out.")
        @Argument(help: "Labelled JSON-lines files (one world each), or folders of them.") var data: [String]
        @Option(help: "The policies folder whose rules give the models their rule features.") var policies: String?
        @Flag(help: "Also print how well the models fit the data they were trained on (a check of the training, not evidence).") var inSample = false
        @Option(help: "Training passes of the comment models.") var epochs = 14
        @Option(help: "L2 penalty of the comment models.") var l2: Float = 2e-5
        @Option(help: "AdaGrad rate of the comment models.") var rate: Float = 0.3
        @Option(help: "Training passes of the span tagger.") var taggerEpochs = 8

        func run() throws {
            let files = data.flatMap { path -> [String] in
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
                return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted().map { path + "/" + $0 }
            }
            let comments = try ModelCommand.load(files)
            let judge = Judge(policies: try PolicyLoader.load(directory: policies ?? ShippedFolders.locate("Policies")))
            let started = Date()
            let prepared = LearningExamples(rules: judge).prepareAll(comments)
            if inSample {
                let model = CommentModelTrainer().train(prepared.map(\.example), worlds: comments.map(\.world))
                let predicted = prepared.map { p in zip(model.probabilities(p.example.features), model.thresholds).map { $0 >= $1 } }
                let fit = CommentMetrics.score(gold: prepared.map(\.example.targets), predicted: predicted)
                for label in CommentModel.labels {
                    print(label, String(format: "fit P %.3f R %.3f, threshold %.2f", fit[label + ".precision"] ?? 0, fit[label + ".recall"] ?? 0,
                                        model.thresholds[CommentModel.labels.firstIndex(of: label)!]), model.calibration[CommentModel.labels.firstIndex(of: label)!])
                }
            }
            var commentTrainer = CommentModelTrainer()
            commentTrainer.trainer.epochs = epochs
            commentTrainer.trainer.l2 = l2
            commentTrainer.trainer.rate = rate
            var validation = CrossValidation(trainer: commentTrainer)
            validation.tagger.epochs = taggerEpochs
            let scores = validation.run(comments, prepared: prepared)
            let columns = ["phi.recall", "phi.precision", "phi.f2", "about_third.f1", "cat.micro_f1", "adverse_event.recall", "adverse_event.f1",
                           "medical_advice.f1", "complaint.f1", "distress.f1", "off_label.f1", "misinformation.f1", "competitor.f1", "spam.f1", "abuse.f1",
                           "spans.recall", "spans.precision", "rulespans.recall", "rulespans.precision"]
            print("world".padding(toLength: 11, withPad: " ", startingAt: 0) + columns.map { String($0.prefix(13)).leftPadded(14) }.joined())
            for score in scores {
                print(score.world.padding(toLength: 11, withPad: " ", startingAt: 0) + columns.map { String(format: "%.3f", score.metrics[$0] ?? 0).leftPadded(14) }.joined())
            }
            let mean = columns.map { column in scores.map { $0.metrics[column] ?? 0 }.reduce(0, +) / Double(max(1, scores.count)) }
            let worst = columns.map { column in scores.map { $0.metrics[column] ?? 0 }.min() ?? 0 }
            print("mean".padding(toLength: 11, withPad: " ", startingAt: 0) + mean.map { String(format: "%.3f", $0).leftPadded(14) }.joined())
            print("worst".padding(toLength: 11, withPad: " ", startingAt: 0) + worst.map { String(format: "%.3f", $0).leftPadded(14) }.joined())
            print(String(format: "%d comments, %d worlds, %.0f s", comments.count, scores.count, Date().timeIntervalSince(started)))
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
