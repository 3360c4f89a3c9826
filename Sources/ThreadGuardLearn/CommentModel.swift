import Foundation

/// The comment-level models: `phi`, whose health (self, a third party), and the nine categories, each a calibrated
/// probability with the threshold chosen for it on held-out folds.
public struct CommentModel: Sendable, Equatable {
    public static let categories = ["adverse_event", "medical_advice", "complaint", "distress", "off_label", "misinformation",
                                    "competitor", "spam", "abuse"]
    public static let labels = ["phi", "about_self", "about_third"] + categories

    public var linear: LinearModel
    public var calibration: [PlattScaling]
    /// Per label, the probability at or above which it is said (a policy may ask for another).
    public var thresholds: [Double]
    /// Per label, precision and recall at each threshold, on the held-out folds.
    public var tables: [[ThresholdRow]]

    public init(linear: LinearModel, calibration: [PlattScaling], thresholds: [Double], tables: [[ThresholdRow]]) {
        self.linear = linear
        self.calibration = calibration
        self.thresholds = thresholds
        self.tables = tables
    }

    public func probabilities(_ features: [Int32], dense: [Float] = []) -> [Double] {
        zip(linear.margins(features, dense: dense), calibration).map { $1.probability($0) }
    }

    /// The labels a comment says nothing about: whose health, when the set was labelled without `about`.
    public static func unknown(_ comment: LabelledComment) -> [Bool] {
        labels.map { label in
            if let known = comment.knownLabels, !known.contains(label) { return true }
            return label.hasPrefix("about_") && comment.phi && comment.about == nil
        }
    }

    /// The targets of a labelled comment, in `labels` order.
    public static func targets(_ comment: LabelledComment) -> [Bool] {
        let about = comment.about ?? ""
        return [comment.phi, comment.phi && (about == "self" || about == "both"), comment.phi && (about == "third" || about == "both")]
            + categories.map { comment.categories.contains($0) }
    }

    /// The F-beta a label's threshold is chosen for: recall first for `phi` and adverse events.
    static func beta(_ label: String) -> Double { label == "phi" || label == "adverse_event" ? 2 : 1 }
}

/// Trains the comment models: the weights on every example, then calibration and thresholds from margins on folds
/// the weights were not trained on (whole worlds per fold, so a world's own wording does not flatter the scores).
public struct CommentModelTrainer: Sendable {
    public var trainer = LinearTrainer()
    public var hasher = FeatureHasher(bits: 18)
    public var folds = 4

    public init() {}

    /// `calibrated`: the examples calibration and thresholds are fitted on (all when nil): our own comments, not text
    /// labelled by other teams to other definitions.
    public func train(_ examples: [LinearTrainer.Example], worlds: [String], start: CommentModel? = nil, calibrated: [Bool]? = nil) -> CommentModel {
        let labels = CommentModel.labels
        let linear = trainer.train(examples, labels: labels, hasher: hasher, start: start?.linear)
        // Out-of-fold margins: worlds dealt round-robin into folds.
        let names = Array(Set(worlds)).sorted()
        let foldOf = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0 % max(1, min(folds, names.count))) })
        var margins = [[Float]](repeating: [], count: examples.count)
        let foldCount = names.count >= 2 ? min(folds, names.count) : 0
        if foldCount >= 2 {
            for fold in 0..<foldCount {
                let inside = examples.indices.filter { foldOf[worlds[$0]] != fold }
                let model = trainer.train(inside.map { examples[$0] }, labels: labels, hasher: hasher, start: start?.linear)
                for k in examples.indices where foldOf[worlds[k]] == fold { margins[k] = model.margins(examples[k].features, dense: examples[k].dense) }
            }
        } else {
            for k in examples.indices { margins[k] = linear.margins(examples[k].features, dense: examples[k].dense) }
        }
        var calibration: [PlattScaling] = [], thresholds: [Double] = [], tables: [[ThresholdRow]] = []
        for (label, name) in labels.enumerated() {
            let known = examples.indices.filter { !examples[$0].unknown[label] && calibrated?[$0] != false }
            let targets = known.map { examples[$0].targets[label] }
            let scaling = PlattScaling.fit(margins: known.map { margins[$0][label] }, targets: targets)
            let probabilities = known.map { scaling.probability(margins[$0][label]) }
            calibration.append(scaling)
            tables.append(Thresholds.table(probabilities: probabilities, targets: targets))
            thresholds.append(Thresholds.best(probabilities: probabilities, targets: targets, beta: CommentModel.beta(name)))
        }
        return CommentModel(linear: linear, calibration: calibration, thresholds: thresholds, tables: tables)
    }
}
