import Foundation

/// Everything learned: the comment models (with calibration and thresholds) and the span tagger, and what they were
/// trained on. Stored as one file (`ModelFile`).
public struct LearnedModels: Sendable, Equatable {
    public var comments: CommentModel
    public var tagger: SequenceTagger
    /// Identifier types whose deterministic recognizers' findings are kept beside the tagger's.
    public var ruleTypes: [String]
    /// What the models were trained on (files, comments, worlds, seed), for people reading `model evaluate`.
    public var provenance: [String: String]

    public init(comments: CommentModel, tagger: SequenceTagger, ruleTypes: [String] = LearnedModels.defaultRuleTypes,
                provenance: [String: String] = [:]) {
        self.comments = comments
        self.tagger = tagger
        self.ruleTypes = ruleTypes
        self.provenance = provenance
    }

    /// Fixed shapes and checksums: the recognizers are kept for these whatever the tagger says.
    public static let defaultRuleTypes = SpanLabels.types

    /// The models with every weight rounded to half precision, as the file stores them (scores computed from a
    /// trained model and from its file then agree exactly).
    public func rounded() -> LearnedModels {
        var copy = self
        copy.comments.linear.weights = comments.linear.weights.map { Float(Float16($0)) }
        copy.comments.linear.bias = comments.linear.bias.map { Float(Float16($0)) }
        copy.comments.linear.dense = comments.linear.dense.map { Float(Float16($0)) }
        copy.tagger.weights = tagger.weights.map { Float(Float16($0)) }
        return copy
    }
}
