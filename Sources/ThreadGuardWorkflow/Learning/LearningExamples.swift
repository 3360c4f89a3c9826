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
    /// and gold labels, and the recognizers' own findings (kept beside the tagger's at prediction).
    public struct Prepared: Sendable {
        public var example: LinearTrainer.Example
        public var sequence: TaggerTrainer.Sequence
        public var ruleFindings: [Finding]
        public var text: AnalysedText
    }

    public func prepare(_ comment: LabelledComment) -> Prepared {
        let (capped, _) = Judge.capped(comment.text)
        let subject = Judge.Subject(text: capped, context: comment.context, platform: Platform(rawValue: comment.platform) ?? .facebook,
                                    kind: ItemKind(rawValue: comment.kind) ?? .comment)
        let (analysis, decision, outcome) = rules.judgeByRules(subject)
        let signals = RuleSignals(analysis: analysis, categories: outcome.categories, rules: decision.rules)
        let text = AnalysedText(capped)
        let findings = analysis.findings.filter { $0.type.isIdentifier }
        return Prepared(
            example: LinearTrainer.Example(features: features.extract(text, context: comment.context, platform: comment.platform, kind: comment.kind, signals: signals),
                                           targets: CommentModel.targets(comment), weight: comment.weight,
                                           unknown: CommentModel.unknown(comment), dense: WordVectors.shared?.mean(text) ?? []),
            sequence: TaggerTrainer.Sequence(tokens: tokenFeatures.extract(text, findings: findings, brand: rules.classifier.brandContactRanges(text)),
                                             labels: SpanDecoding.labels(text, spans: comment.spans), weight: comment.weight),
            ruleFindings: findings, text: text)
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
