import Foundation
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardLearn

/// Labelled comments turned into the comment models' examples: each comment is judged by the rule pack first (its
/// recognizers' findings, health context, detectors' categories and fired rules become features), then hashed.
public struct LearningExamples: Sendable {
    public let rules: Judge
    public let features: CommentFeatures
    public let tokenFeatures: TokenFeatures

    public init(rules: Judge, hasher: FeatureHasher = FeatureHasher(bits: 18), tokenHasher: FeatureHasher = FeatureHasher(bits: CrossValidation.taggerBits)) {
        self.rules = rules
        features = CommentFeatures(hasher: hasher)
        tokenFeatures = TokenFeatures(hasher: tokenHasher)
    }

    /// Everything the models learn from one comment: the comment's features and targets, the tagger's token features
    /// and gold labels.
    public struct Prepared: Sendable {
        public var example: LinearTrainer.Example
        public var sequence: TaggerTrainer.Sequence
    }

    public func prepare(_ comment: LabelledComment) -> Prepared {
        let subject = Judge.Subject(text: comment.text, context: comment.context, platform: Platform(rawValue: comment.platform) ?? .facebook,
                                    kind: ItemKind(rawValue: comment.kind) ?? .comment)
        // What the models read at judging time: the recognizers' analysis and the detectors' categories.
        let reading = rules.read(subject)
        let analysis = reading.input.analysis, text = reading.input.text
        let signals = RuleSignals(analysis: analysis, categories: reading.detectors.categories)
        let findings = analysis.findings.filter { $0.type.isIdentifier }
        return Prepared(
            example: LinearTrainer.Example(features: features.extract(text, context: comment.context, platform: comment.platform, kind: comment.kind, signals: signals),
                                           targets: CommentModel.targets(comment), weight: comment.weight,
                                           unknown: CommentModel.unknown(comment), dense: WordVectors.shared?.mean(text) ?? []),
            sequence: TaggerTrainer.Sequence(tokens: tokenFeatures.extract(text, findings: findings, brand: reading.brandContacts),
                                             labels: SpanDecoding.labels(text, spans: comment.spans), weight: comment.weight))
    }

    /// `prepare` for every comment, on all cores, in the comments' order.
    public func prepareAll(_ comments: [LabelledComment]) -> [Prepared] {
        ParallelMap.map(comments.count) { prepare(comments[$0]) }
    }
}

/// `body` for each index on every core, the results in index order.
enum ParallelMap {
    final class Slots<T>: @unchecked Sendable {
        var values: [T?]
        let lock = NSLock()
        init(_ count: Int) { values = [T?](repeating: nil, count: count) }
    }

    static func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { k in
            let value = body(k)
            slots.lock.withLock { slots.values[k] = value }
        }
        return slots.values.map { $0! }
    }
}
