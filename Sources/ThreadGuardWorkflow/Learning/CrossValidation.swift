import Foundation
import ThreadGuardCore
import ThreadGuardLearn

/// Leave-one-world-out: for each world, the models are trained on every other world and scored on the one left out.
public struct CrossValidation: Sendable {
    public let trainer: CommentModelTrainer

    public init(trainer: CommentModelTrainer = CommentModelTrainer()) {
        self.trainer = trainer
    }

    /// Scores per held-out world (comment-level labels).
    public struct WorldScore: Sendable {
        public var world: String
        public var comments: Int
        public var metrics: [String: Double]
    }

    public var tagger = TaggerTrainer()
    /// Identifier types whose recognizers' findings are kept beside the tagger's (fixed shapes and checksums).
    public var keepRuleTypes: Set<FindingType> = [.phone, .email, .ssn, .ip, .url, .vehicleID, .healthPlanID]

    public func run(_ comments: [LabelledComment], prepared: [LearningExamples.Prepared]) -> [WorldScore] {
        let worlds = Array(Set(comments.map(\.world))).sorted()
        var scores: [WorldScore] = []
        for world in worlds {
            let inside = comments.indices.filter { comments[$0].world != world }
            let outside = comments.indices.filter { comments[$0].world == world }
            let model = trainer.train(inside.map { prepared[$0].example }, worlds: inside.map { comments[$0].world })
            let predicted = outside.map { k -> [Bool] in
                zip(model.probabilities(prepared[k].example.features), model.thresholds).map { $0 >= $1 }
            }
            var metrics = CommentMetrics.score(gold: outside.map { prepared[$0].example.targets }, predicted: predicted,
                                               unknown: outside.map { prepared[$0].example.unknown })
            let tagger = self.tagger.train(inside.map { prepared[$0].sequence }, hasher: prepared[0].text.tokens.isEmpty ? FeatureHasher(bits: 17) : FeatureHasher(bits: 17))
            var spans = SpanMetrics()
            var rulesOnly = SpanMetrics()
            for k in outside {
                let tagged = SpanDecoding.findings(prepared[k].text, labels: tagger.tag(prepared[k].sequence.tokens))
                let merged = Self.merge(tagged: tagged, rules: prepared[k].ruleFindings.filter { keepRuleTypes.contains($0.type) })
                spans.add(gold: comments[k].spans, predicted: merged)
                rulesOnly.add(gold: comments[k].spans, predicted: prepared[k].ruleFindings)
            }
            metrics.merge(spans.metrics(prefix: "spans")) { $1 }
            metrics.merge(rulesOnly.metrics(prefix: "rulespans")) { $1 }
            scores.append(WorldScore(world: world, comments: outside.count, metrics: metrics))
        }
        return scores
    }

    /// The recognizers' findings of fixed-shape types first, then the tagger's where they do not overlap.
    static func merge(tagged: [Finding], rules: [Finding]) -> [Finding] {
        var out = rules
        for finding in tagged where !out.contains(where: { $0.start < finding.end && finding.start < $0.end }) { out.append(finding) }
        return out.sorted { $0.start < $1.start }
    }
}

/// Identifier spans counted as `score.py` counts them: a gold span is found when a finding overlaps at least half of
/// it; a finding is right when it overlaps any gold span.
public struct SpanMetrics: Sendable {
    var found = 0, total = 0, typed = 0, predicted = 0, matched = 0
    var perType: [String: (found: Int, total: Int)] = [:]

    public init() {}

    public mutating func add(gold: [LabelledComment.Span], predicted findings: [Finding]) {
        for span in gold {
            let hits = findings.filter { f in
                let overlap = min(span.end, f.end) - max(span.start, f.start)
                return overlap > 0 && overlap * 2 >= span.end - span.start
            }
            total += 1
            var entry = perType[span.type] ?? (0, 0)
            entry.total += 1
            if !hits.isEmpty {
                found += 1
                entry.found += 1
                if hits.contains(where: { $0.type.rawValue == span.type }) { typed += 1 }
            }
            perType[span.type] = entry
        }
        for finding in findings {
            predicted += 1
            if gold.contains(where: { min($0.end, finding.end) > max($0.start, finding.start) }) { matched += 1 }
        }
    }

    public func metrics(prefix: String) -> [String: Double] {
        var out: [String: Double] = [
            prefix + ".recall": total > 0 ? Double(found) / Double(total) : 1,
            prefix + ".typed_recall": total > 0 ? Double(typed) / Double(total) : 1,
            prefix + ".precision": predicted > 0 ? Double(matched) / Double(predicted) : 1,
        ]
        for (type, entry) in perType { out[prefix + ".recall." + type] = entry.total > 0 ? Double(entry.found) / Double(entry.total) : 1 }
        return out
    }
}

/// Precision, recall and F-scores of the comment labels, as `score.py` counts them.
public enum CommentMetrics {
    public static func score(gold: [[Bool]], predicted: [[Bool]], unknown: [[Bool]]? = nil) -> [String: Double] {
        var metrics: [String: Double] = [:]
        var micro = (tp: 0.0, fp: 0.0, fn: 0.0)
        for (label, name) in CommentModel.labels.enumerated() {
            var tp = 0.0, fp = 0.0, fn = 0.0
            for (index, (g, p)) in zip(gold, predicted).enumerated() {
                if unknown?[index][label] == true { continue }
                if g[label] && p[label] { tp += 1 } else if p[label] { fp += 1 } else if g[label] { fn += 1 }
            }
            let precision = tp + fp > 0 ? tp / (tp + fp) : 1, recall = tp + fn > 0 ? tp / (tp + fn) : 1
            metrics[name + ".precision"] = precision
            metrics[name + ".recall"] = recall
            metrics[name + ".f1"] = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            metrics[name + ".f2"] = 4 * precision + recall > 0 ? 5 * precision * recall / (4 * precision + recall) : 0
            if CommentModel.categories.contains(name) {
                micro.tp += tp; micro.fp += fp; micro.fn += fn
            }
        }
        let p = micro.tp + micro.fp > 0 ? micro.tp / (micro.tp + micro.fp) : 1, r = micro.tp + micro.fn > 0 ? micro.tp / (micro.tp + micro.fn) : 1
        metrics["cat.micro_f1"] = p + r > 0 ? 2 * p * r / (p + r) : 0
        return metrics
    }
}
