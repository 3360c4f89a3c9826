import Foundation

/// Binary logistic regressions, one per label, over the same hashed features: the comment-level models (`phi`, whose
/// health, each category). Weights are laid out feature by feature, so scoring a comment reads each of its
/// features' weights for every label from one place.
public struct LinearModel: Sendable, Equatable {
    public let labels: [String]
    public let hasher: FeatureHasher
    /// `weights[feature * labels.count + label]`.
    public internal(set) var weights: [Float]
    public internal(set) var bias: [Float]
    /// Weights of the dense features (the comment's word vector), `dense[dimension * labels.count + label]`.
    public internal(set) var dense: [Float]
    public var denseCount: Int { dense.count / max(1, labels.count) }

    public init(labels: [String], hasher: FeatureHasher, weights: [Float]? = nil, bias: [Float]? = nil, denseCount: Int = 0, dense: [Float]? = nil) {
        self.labels = labels
        self.hasher = hasher
        self.weights = weights ?? [Float](repeating: 0, count: hasher.buckets * labels.count)
        self.bias = bias ?? [Float](repeating: 0, count: labels.count)
        self.dense = dense ?? [Float](repeating: 0, count: denseCount * labels.count)
    }

    /// Each label's margin (log-odds before calibration) for a comment's features. Features count equally, scaled so
    /// that a long comment does not outweigh a short one.
    public func margins(_ features: [Int32], dense values: [Float] = []) -> [Float] {
        let count = labels.count
        var out = bias
        for (d, value) in values.enumerated() where d < denseCount {
            for label in 0..<count { out[label] += dense[d * count + label] * value }
        }
        // Features count equally: their rows are summed, then scaled once.
        var sums = [Float](repeating: 0, count: count)
        weights.withUnsafeBufferPointer { w in
            sums.withUnsafeMutableBufferPointer { total in
                for feature in features { RowSums.add(w, row: Int(feature) * count, into: total) }
            }
        }
        let scale = Self.scale(features.count)
        for label in 0..<count { out[label] += sums[label] * scale }
        return out
    }

    static func scale(_ count: Int) -> Float { 4 / Float(max(24, count)) }

    /// What the comment's word vector adds to a label's margin.
    public func denseContribution(_ values: [Float], label: Int) -> Float {
        var sum: Float = 0
        for (d, value) in values.enumerated() where d < denseCount { sum += dense[d * labels.count + label] * value }
        return sum
    }

    /// What each named feature adds to a label's margin (features with one name summed), largest effect first.
    public func contributions(_ features: [(Int32, String)], label: Int) -> [(name: String, weight: Float)] {
        let scale = Self.scale(features.count)
        var sums: [String: Float] = [:]
        for (bucket, name) in features { sums[name, default: 0] += weights[Int(bucket) * labels.count + label] * scale }
        return sums.map { ($0.key, $0.value) }.sorted { abs($0.weight) != abs($1.weight) ? abs($0.weight) > abs($1.weight) : $0.name < $1.name }
    }
}

/// Trains a `LinearModel` with AdaGrad on the logistic loss and an L2 penalty, in a shuffled order fixed by the seed:
/// the same examples and seed give the same weights, bit for bit.
public struct LinearTrainer: Sendable {
    public var epochs = 14
    public var rate: Float = 0.3
    public var l2: Float = 2e-5
    public var seed: UInt64 = 7

    public init() {}

    public struct Example: Sendable {
        public var features: [Int32]
        public var targets: [Bool]
        /// How much this example counts (1 for the labelled comments; less for text labelled to other definitions).
        public var weight: Float
        /// Labels this example says nothing about (a set labelled without `about`): they take no gradient from it.
        public var unknown: [Bool]
        /// The comment's dense features (its word vector).
        public var dense: [Float]

        public init(features: [Int32], targets: [Bool], weight: Float = 1, unknown: [Bool]? = nil, dense: [Float] = []) {
            self.dense = dense
            self.features = features
            self.targets = targets
            self.weight = weight
            self.unknown = unknown ?? [Bool](repeating: false, count: targets.count)
        }
    }

    /// `start`: continue from these weights (retraining on top of a shipped model).
    public func train(_ examples: [Example], labels: [String], hasher: FeatureHasher, start: LinearModel? = nil) -> LinearModel {
        var model = start ?? LinearModel(labels: labels, hasher: hasher, denseCount: examples.first?.dense.count ?? 0)
        var denseSquares = [Float](repeating: 1e-6, count: model.dense.count)
        let count = labels.count
        if start == nil {
            // Each label starts at its prior log-odds: the rarity of a category is carried by the bias, not spread over
            // the features every comment has (else a short comment, with few of them, would look like anything).
            for label in 0..<count {
                let known = examples.filter { !$0.unknown[label] }
                let positives = Float(known.filter { $0.targets[label] }.count)
                model.bias[label] = log((positives + 1) / (Float(known.count) - positives + 1))
            }
        }
        var squares = [Float](repeating: 1e-6, count: model.weights.count)
        var biasSquares = [Float](repeating: 1e-6, count: count)
        var random = SeededRandom(seed: seed)
        var gradient = [Float](repeating: 0, count: count)
        for _ in 0..<epochs {
            for index in random.permutation(examples.count) {
                let example = examples[index]
                let margins = model.margins(example.features, dense: example.dense)
                for label in 0..<count {
                    let p = 1 / (1 + exp(-margins[label]))
                    gradient[label] = example.unknown[label] ? 0 : (p - (example.targets[label] ? 1 : 0)) * example.weight
                }
                let scale = LinearModel.scale(example.features.count)
                model.weights.withUnsafeMutableBufferPointer { w in
                    squares.withUnsafeMutableBufferPointer { g in
                        for feature in example.features {
                            let base = Int(feature) * count
                            for label in 0..<count {
                                let k = base + label
                                let step = gradient[label] * scale + l2 * w[k]
                                g[k] += step * step
                                w[k] -= rate * step / g[k].squareRoot()
                            }
                        }
                    }
                }
                for (d, value) in example.dense.enumerated() where d < model.denseCount {
                    for label in 0..<count {
                        let k = d * count + label
                        let step = gradient[label] * value + l2 * model.dense[k]
                        denseSquares[k] += step * step
                        model.dense[k] -= rate * step / denseSquares[k].squareRoot()
                    }
                }
                for label in 0..<count {
                    biasSquares[label] += gradient[label] * gradient[label]
                    model.bias[label] -= rate * gradient[label] / biasSquares[label].squareRoot()
                }
            }
        }
        return model
    }
}
