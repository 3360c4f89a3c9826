import Foundation
import ThreadGuardCore
import ThreadGuardLearn
import ThreadGuardPolicy

/// Leave-one-world-out: for each world, the models are trained on every other world, loaded into a `Judge` with the
/// policies, and the world left out is judged end to end (rules, models, actions) and scored as `score.py` scores it.
public struct CrossValidation: Sendable {
    public var trainer = CommentModelTrainer()
    public var tagger = TaggerTrainer()
    /// Hashing bits of the tagger's features (its table is read at every token: small enough to stay in cache).
    public static let taggerBits = 16

    public init() {}

    public struct WorldScore: Sendable {
        public var world: String
        public var comments: Int
        public var metrics: [String: Double]
    }

    /// Models trained on `comments` (prepared in the same order).
    public func train(_ comments: [LabelledComment], prepared: [LearningExamples.Prepared], start: LearnedModels? = nil,
                      provenance: [String: String] = [:]) -> LearnedModels {
        let commentModel = trainer.train(prepared.map(\.example), worlds: comments.map(\.world), start: start?.comments,
                                         calibrated: comments.map { !$0.trainingOnly })
        let hasher = start?.tagger.hasher ?? FeatureHasher(bits: Self.taggerBits)
        // Comments whose identifiers nobody labelled (a dismissed review) teach the tagger nothing.
        let sequences = zip(comments, prepared).filter { $0.0.spansKnown }.map(\.1.sequence)
        let spanModel = tagger.train(sequences, hasher: hasher, start: start?.tagger)
        return LearnedModels(comments: commentModel, tagger: spanModel, provenance: provenance).rounded()
    }

    /// The worlds scored: every file's but text labelled by other teams (learned from, never scored).
    public static func worlds(_ comments: [LabelledComment]) -> [String] {
        Array(Set(comments.filter { !$0.trainingOnly }.map(\.world))).sorted()
    }

    public func run(_ comments: [LabelledComment], prepared: [LearningExamples.Prepared], policies: PolicySet) -> [WorldScore] {
        Self.worlds(comments).map { world in
            let inside = comments.indices.filter { comments[$0].world != world }
            let outside = comments.filter { $0.world == world }
            let models = train(inside.map { comments[$0] }, prepared: inside.map { prepared[$0] })
            let judge = Judge(policies: policies, models: models)
            return WorldScore(world: world, comments: outside.count, metrics: Self.score(outside, judge: judge))
        }
    }

    /// Judges every comment and scores the verdicts against their labels.
    public static func score(_ comments: [LabelledComment], judge: Judge) -> [String: Double] {
        let verdicts = ParallelMap.map(comments.count) { k -> Verdict in
            let comment = comments[k]
            let (analysis, decision) = judge.judge(text: comment.text, context: comment.context,
                                                   platform: Platform(rawValue: comment.platform) ?? .facebook,
                                                   kind: ItemKind(rawValue: comment.kind) ?? .comment)
            return Verdict(phi: analysis.phi, findings: analysis.findings.filter { $0.type.isIdentifier },
                           categories: Set(analysis.categories.map(\.rawValue)), actions: Set(decision.actions.map(\.rawValue)))
        }
        var metrics = PipelineMetrics()
        for (comment, verdict) in zip(comments, verdicts) { metrics.add(comment, verdict) }
        return metrics.values()
    }

    public struct Verdict: Sendable {
        public var phi: Bool
        public var findings: [Finding]
        public var categories: Set<String>
        public var actions: Set<String>
    }
}

/// The metrics of `score.py`: `phi`, identifier spans (a gold span is found when a finding overlaps at least half of
/// it; a finding is right when it overlaps any gold span), categories, and the `hide` and `private_reply` actions.
public struct PipelineMetrics: Sendable {
    var counts: [String: (tp: Double, fp: Double, fn: Double)] = [:]
    var found = 0, total = 0, typed = 0, predicted = 0, matched = 0
    var perType: [String: (found: Int, total: Int)] = [:]

    public init() {}

    mutating func count(_ key: String, gold: Bool, said: Bool) {
        var c = counts[key] ?? (0, 0, 0)
        if gold && said { c.tp += 1 } else if said { c.fp += 1 } else if gold { c.fn += 1 }
        counts[key] = c
    }

    public mutating func add(_ comment: LabelledComment, _ verdict: CrossValidation.Verdict) {
        count("phi", gold: comment.phi, said: verdict.phi)
        count("hide", gold: comment.hide, said: verdict.actions.contains("hide"))
        count("private_reply", gold: comment.privateReply, said: verdict.actions.contains("private_reply"))
        for category in CommentModel.categories {
            count("cat." + category, gold: comment.categories.contains(category), said: verdict.categories.contains(category))
        }
        for span in comment.spans {
            let hits = verdict.findings.filter { f in
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
        for finding in verdict.findings {
            predicted += 1
            if comment.spans.contains(where: { min($0.end, finding.end) > max($0.start, finding.start) }) { matched += 1 }
        }
    }

    public func values() -> [String: Double] {
        var out: [String: Double] = [:]
        var micro = (tp: 0.0, fp: 0.0, fn: 0.0)
        for (key, c) in counts {
            let p = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 1, r = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 1
            out[key + ".precision"] = p
            out[key + ".recall"] = r
            out[key + ".f1"] = p + r > 0 ? 2 * p * r / (p + r) : 0
            out[key + ".f2"] = 4 * p + r > 0 ? 5 * p * r / (4 * p + r) : 0
            if key.hasPrefix("cat.") { micro.tp += c.tp; micro.fp += c.fp; micro.fn += c.fn }
        }
        let p = micro.tp + micro.fp > 0 ? micro.tp / (micro.tp + micro.fp) : 1, r = micro.tp + micro.fn > 0 ? micro.tp / (micro.tp + micro.fn) : 1
        out["cat.micro_f1"] = p + r > 0 ? 2 * p * r / (p + r) : 0
        out["spans.recall"] = total > 0 ? Double(found) / Double(total) : 1
        out["spans.typed_recall"] = total > 0 ? Double(typed) / Double(total) : 1
        out["spans.precision"] = predicted > 0 ? Double(matched) / Double(predicted) : 1
        for (type, entry) in perType { out["spans.recall." + type] = entry.total > 0 ? Double(entry.found) / Double(entry.total) : 1 }
        return out
    }
}
