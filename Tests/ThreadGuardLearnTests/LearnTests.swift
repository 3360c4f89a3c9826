import Crypto
import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardDetect
@testable import ThreadGuardLearn

/// A small labelled corpus made up for the tests: comments that ask for advice and ones that do not, in two worlds.
enum ToyCorpus {
    static let advice = ["is it safe to double my dose?", "should I keep using the pump if it beeps?", "can I take this with ibuprofen?",
                         "how many puffs a day is too many?", "is this rash normal after the injection?", "what dose should my son take?"]
    static let other = ["love the new colours", "shipping was fast, thanks", "great webinar yesterday", "the app looks nice now",
                        "when is the next event?", "thanks for the quick reply"]

    static func examples(_ hasher: FeatureHasher) -> [LinearTrainer.Example] {
        let features = CommentFeatures(hasher: hasher)
        return (advice.map { ($0, true) } + other.map { ($0, false) }).map { text, asks in
            let targets = CommentModel.labels.map { $0 == "medical_advice" ? asks : false }
            return LinearTrainer.Example(features: features.extract(AnalysedText(text), context: [], platform: "facebook", kind: "comment",
                                                                    signals: RuleSignals()), targets: targets)
        }
    }

    static func models() -> LearnedModels {
        let hasher = FeatureHasher(bits: 12)
        var trainer = CommentModelTrainer()
        trainer.hasher = hasher
        let examples = examples(hasher)
        let comments = trainer.train(examples, worlds: examples.indices.map { $0 % 2 == 0 ? "a" : "b" })
        let tokens = TokenFeatures(hasher: FeatureHasher(bits: 12))
        let sequences = ["call me at 614 555 0199 please", "my number is 216 555 0143", "call the office tomorrow"].map { text -> TaggerTrainer.Sequence in
            let analysed = AnalysedText(text)
            var spans: [LabelledComment.Span] = []
            if let range = text.range(of: #"\d{3} \d{3} \d{4}"#, options: .regularExpression) {
                spans.append(.init(start: text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound),
                                   end: text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.upperBound), type: "PHONE"))
            }
            return TaggerTrainer.Sequence(tokens: tokens.extract(analysed, findings: []), labels: SpanDecoding.labels(analysed, spans: spans))
        }
        let tagger = TaggerTrainer().train(sequences, hasher: FeatureHasher(bits: 12))
        return LearnedModels(comments: comments, tagger: tagger, provenance: ["files": "toy"]).rounded()
    }
}

@Suite("learned models")
struct LearnTests {
    @Test("the same data and seed give byte-identical model files; another seed gives another")
    func deterministic() throws {
        let first = try ModelFile.encode(ToyCorpus.models())
        let second = try ModelFile.encode(ToyCorpus.models())
        #expect(first == second)
        var trainer = LinearTrainer()
        trainer.seed = 99
        let hasher = FeatureHasher(bits: 12)
        let other = trainer.train(ToyCorpus.examples(hasher), labels: CommentModel.labels, hasher: hasher)
        #expect(other.weights != ToyCorpus.models().comments.linear.weights)
    }

    @Test("a model file reads back to the same models and scores")
    func roundTrip() throws {
        let models = ToyCorpus.models()
        let read = try ModelFile.decode(try ModelFile.encode(models), path: "toy")
        #expect(read == models)
        let features = ToyCorpus.examples(models.comments.linear.hasher)[0].features
        #expect(read.comments.probabilities(features) == models.comments.probabilities(features))
    }

    @Test("the comment model learns the toy labels and the tagger the toy phone numbers")
    func learns() {
        let models = ToyCorpus.models()
        let k = CommentModel.labels.firstIndex(of: "medical_advice")!
        let examples = ToyCorpus.examples(models.comments.linear.hasher)
        let asks = examples.prefix(6).map { models.comments.probabilities($0.features)[k] }
        let others = examples.suffix(6).map { models.comments.probabilities($0.features)[k] }
        #expect(asks.min()! > others.max()!, "\(asks) vs \(others)")
        let text = AnalysedText("call me at 614 555 0199 please")
        let tokens = TokenFeatures(hasher: models.tagger.hasher).extract(text, findings: [])
        let found = SpanDecoding.findings(text, labels: models.tagger.tag(tokens))
        #expect(found.map(\.type) == [.phone])
        #expect(found.first.map { Array(text.text.original[$0.start..<$0.end]).map(String.init).joined() } == "614 555 0199")
    }

    @Test("a damaged, truncated, foreign or wrong-version file is a clear error")
    func damaged() throws {
        let good = try ModelFile.encode(ToyCorpus.models())
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        #expect(throws: ModelFile.Problem.corrupt("m", why: "its checksum does not match")) { try ModelFile.decode(flipped, path: "m") }
        #expect(throws: ModelFile.Problem.self) { try ModelFile.decode(good.prefix(good.count - 100), path: "m") }
        #expect(throws: ModelFile.Problem.notAModel("m")) { try ModelFile.decode(Data("{\"not\": \"a model\"}".utf8), path: "m") }
        // Another format version, with a checksum that matches: refused for its version, not its bytes.
        var body = good.prefix(good.count - 32)
        body[ModelFile.magic.count] = 9
        var versioned = Data(body)
        versioned.append(Data(SHA256.hash(data: versioned)))
        #expect(throws: ModelFile.Problem.wrongVersion("m", found: 9)) { try ModelFile.decode(versioned, path: "m") }
        #expect(ModelFile.Problem.wrongVersion("m", found: 9).description.contains("Retrain it with `threadguard model train`"))
        #expect(throws: ModelFile.Problem.missing("/nonexistent/threadguard.model")) { try ModelFile.read(folder: "/nonexistent") }
    }

    @Test("Platt scaling fits noisy margins and stays finite on separable ones")
    func calibration() {
        var random = SeededRandom(seed: 3)
        var margins: [Float] = [], targets: [Bool] = []
        for _ in 0..<4000 {
            let m = Float(Double(random.next() % 2000) / 250 - 4)
            let p = 1 / (1 + exp(-(2 * Double(m) - 1)))
            margins.append(m)
            targets.append(Double(random.next() % 10_000) / 10_000 < p)
        }
        let fitted = PlattScaling.fit(margins: margins, targets: targets)
        #expect(abs(fitted.a - 2) < 0.25 && abs(fitted.b + 1) < 0.25, "\(fitted)")
        let separable = PlattScaling.fit(margins: [-3, -2, -1, 1, 2, 3], targets: [false, false, false, true, true, true])
        #expect(separable.a.isFinite && separable.b.isFinite && separable.a > 0 && separable.a < 50, "\(separable)")
    }

    @Test("the threshold table counts precision and recall at each threshold; the chosen threshold favours recall when asked")
    func thresholdTable() {
        let probabilities = [0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1]
        let targets = [true, true, false, true, false, true, false]
        let table = Thresholds.table(probabilities: probabilities, targets: targets)
        #expect(table.count == 19)
        let half = table.first { $0.threshold == 0.5 }!
        #expect(half.precision == 2.0 / 3.0 && half.recall == 0.5)
        let low = table.first { $0.threshold == 0.15 }!
        #expect(low.recall == 1 && low.precision == 4.0 / 6.0)
        #expect(Thresholds.best(probabilities: probabilities, targets: targets, beta: 2) <= Thresholds.best(probabilities: probabilities, targets: targets, beta: 1))
    }
}

@Suite("word vectors")
struct WordVectorTests {
    @Test("the shipped word-piece vectors load, place related words near each other, and weigh a short comment's vector less")
    func vectors() throws {
        let vectors = try #require(WordVectors.shared, "Sources/ThreadGuardLearn/Resources/wordpieces.vectors is missing")
        #expect(vectors.dimensions == 64)
        func cosine(_ a: String, _ b: String) -> Float {
            let x = vectors.mean(AnalysedText(a)), y = vectors.mean(AnalysedText(b))
            return zip(x, y).map(*).reduce(0, +)
        }
        #expect(cosine("rash", "swelling") > cosine("rash", "shipping"))
        #expect(cosine("my mom", "my mother") > cosine("my mom", "my refund"))
        // Unit length shrunk by pieces / (pieces + 8): "thanks" (one piece) weighs 1/9, a long comment nearly 1.
        func length(_ text: String) -> Float { vectors.mean(AnalysedText(text)).map { $0 * $0 }.reduce(0, +).squareRoot() }
        #expect(abs(length("thanks") - 1.0 / 9.0) < 1e-3)
        let long = length("the pump gave me hives on both arms and my doctor told me to stop using it for a week until they go")
        #expect(long > 0.7 && long < 1)
        #expect(vectors.mean(AnalysedText("!!!")).allSatisfy { $0 == 0 })
        // Words split into pieces: an unseen compound still gets a vector.
        #expect(vectors.pieces("unhideable".unicodeScalars).count > 1)
    }
}

@Suite("text labelled by other teams")
struct OneCategorySetTests {
    @Test("a set labelled for one category teaches that category only, is never scored, and a bad line names its file and line")
    func oneCategory() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-extra-\(UUID().uuidString)/tweets").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "{\"id\": \"a\", \"text\": \"you are trash\", \"platform\": \"x\"}\n{\"id\": \"b\", \"text\": \"nice day\"}\n{\"id\": \"c\", \"text\": \"no label\"}\n"
            .write(toFile: folder + "/tweets.jsonl", atomically: true, encoding: .utf8)
        try "{\"id\": \"a\", \"label\": true}\n{\"id\": \"b\", \"label\": false}\n".write(toFile: folder + "/gold.jsonl", atomically: true, encoding: .utf8)
        let comments = try LabelledCorpus.loadOneCategory(folder, category: "abuse", weight: 0.5)
        #expect(comments.map(\.id) == ["a", "b"], "a text without a gold label is left out")
        #expect(comments[0].categories == ["abuse"] && comments[1].categories.isEmpty)
        #expect(comments.allSatisfy { $0.trainingOnly && !$0.spansKnown && $0.weight == 0.5 && $0.world == "tweets" })
        let unknown = CommentModel.unknown(comments[0])
        for (label, isUnknown) in zip(CommentModel.labels, unknown) { #expect(isUnknown == (label != "abuse"), "\(label)") }
        try "{\"id\": \"a\", \"label\": \"yes\"}\n".write(toFile: folder + "/gold.jsonl", atomically: true, encoding: .utf8)
        #expect {
            try LabelledCorpus.loadOneCategory(folder, category: "abuse", weight: 0.5)
        } throws: { error in
            (error as? LabelledCorpus.Problem).map { $0.line == 1 && $0.file.hasSuffix("gold.jsonl") && $0.message.contains("\"label\"") } ?? false
        }
    }
}

@Suite("decoding the tagger's labels")
struct SpanDecodingTests {
    /// Labels every token of `text` from the first token of `part` to its last with `type` (B- then I-).
    func decode(_ text: String, _ part: String, _ type: String) -> [String] {
        let analysed = AnalysedText(text)
        let start = text.distance(from: text.startIndex, to: text.range(of: part)!.lowerBound)
        let labels = SpanDecoding.labels(analysed, spans: [LabelledComment.Span(start: start, end: start + part.count, type: type)])
        return SpanDecoding.findings(analysed, labels: labels).map { finding in
            String(text.unicodeScalars.dropFirst(finding.start).prefix(finding.end - finding.start))
        }
    }

    @Test("a weekday or month alone is no place or person; a date takes its weekday in; a number to call is no other identifier")
    func plausibility() {
        #expect(decode("my next dose is due Friday ok", "Friday", "LOCATION").isEmpty)
        #expect(decode("after Jan 1 it broke", "Jan", "NAME").isEmpty)
        #expect(decode("we moved to Paxton last year", "Paxton", "LOCATION") == ["Paxton"])
        #expect(decode("admitted on Tuesday, Feb 11 with", "Feb 11", "DATE") == ["Tuesday, Feb 11"])
        #expect(decode("call 1-800-555-0100 for help", "0100", "DEVICE_ID").isEmpty)
        #expect(decode("serial 4471-0100 on the pump", "4471-0100", "DEVICE_ID") == ["4471-0100"])
    }
}
