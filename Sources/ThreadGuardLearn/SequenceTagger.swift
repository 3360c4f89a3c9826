import Foundation

/// An averaged-perceptron tagger read greedily left to right: each token's label is chosen from its features and the
/// label before it. Weights are laid out feature by feature (`weights[feature * labels + label]`).
public struct SequenceTagger: Sendable, Equatable {
    public let hasher: FeatureHasher
    public let labelCount: Int
    public internal(set) var weights: [Float]

    public init(hasher: FeatureHasher, labelCount: Int = SpanLabels.labels.count, weights: [Float]? = nil) {
        self.hasher = hasher
        self.labelCount = labelCount
        self.weights = weights ?? [Float](repeating: 0, count: hasher.buckets * labelCount)
    }

    /// The features that join the previous label to the token: the label alone, and with the token's word.
    @inline(__always) func transitionFeatures(_ previous: Int, _ token: [Int32]) -> (Int32, Int32) {
        let mask = Int32(hasher.buckets - 1)
        let alone = Int32(truncatingIfNeeded: UInt32(truncatingIfNeeded: (previous + 1) &* 0x9E37_79B1)) & mask
        let word = token.count > 1 ? token[1] : 0
        let joined = Int32(truncatingIfNeeded: UInt32(truncatingIfNeeded: (Int(word) &* 31 &+ previous &+ 7) &* 0x85EB_CA6B)) & mask
        return (alone, joined)
    }

    /// Label indices for each token.
    public func tag(_ sequence: [[Int32]]) -> [Int] {
        var labels: [Int] = []
        labels.reserveCapacity(sequence.count)
        var previous = SpanLabels.outside
        var scores = [Float](repeating: 0, count: labelCount)
        weights.withUnsafeBufferPointer { w in
            scores.withUnsafeMutableBufferPointer { score in
                for token in sequence {
                    for k in 0..<labelCount { score[k] = 0 }
                    let (alone, joined) = transitionFeatures(previous, token)
                    for feature in token { RowSums.add(w, row: Int(feature) * labelCount, into: score) }
                    RowSums.add(w, row: Int(alone) * labelCount, into: score)
                    RowSums.add(w, row: Int(joined) * labelCount, into: score)
                    var best = 0
                    for k in 1..<labelCount where score[k] > score[best] { best = k }
                    // An I- label must follow its own B- or I-: otherwise it begins the span (its B-, one label before).
                    if !SpanLabels.begins(best), SpanLabels.typeIndex(of: previous) != SpanLabels.typeIndex(of: best) { best -= 1 }
                    labels.append(best)
                    previous = best
                }
            }
        }
        return labels
    }
}

/// Trains a `SequenceTagger` with the averaged perceptron, in a shuffled order fixed by the seed.
public struct TaggerTrainer: Sendable {
    public var epochs = 8
    public var seed: UInt64 = 11

    public init() {}

    public struct Sequence: Sendable {
        public var tokens: [[Int32]]
        public var labels: [Int]
        /// How much a mistake on this sequence moves the weights (less for text labelled to other definitions).
        public var weight: Float

        public init(tokens: [[Int32]], labels: [Int], weight: Float = 1) {
            self.tokens = tokens
            self.labels = labels
            self.weight = weight
        }
    }

    public func train(_ sequences: [Sequence], hasher: FeatureHasher, start: SequenceTagger? = nil) -> SequenceTagger {
        var tagger = start ?? SequenceTagger(hasher: hasher)
        let count = tagger.labelCount
        // The averaged weights: sums of each weight over every step, kept lazily (`stamp` is when it last changed).
        var totals = tagger.weights.map { Double($0) }
        var stamps = [Int](repeating: 0, count: tagger.weights.count)
        var step = 0
        var random = SeededRandom(seed: seed)
        func update(_ index: Int, _ delta: Float) {
            totals[index] += Double(tagger.weights[index]) * Double(step - stamps[index])
            stamps[index] = step
            tagger.weights[index] += delta
        }
        for _ in 0..<epochs {
            for index in random.permutation(sequences.count) {
                let sequence = sequences[index]
                step += 1
                let guessed = tagger.tag(sequence.tokens)
                var previousGold = SpanLabels.outside, previousGuess = SpanLabels.outside
                for (k, token) in sequence.tokens.enumerated() {
                    let gold = sequence.labels[k], guess = guessed[k]
                    if gold != guess || previousGold != previousGuess {
                        let (goldAlone, goldJoined) = tagger.transitionFeatures(previousGold, token)
                        let (guessAlone, guessJoined) = tagger.transitionFeatures(previousGuess, token)
                        for feature in token + [goldAlone, goldJoined] { update(Int(feature) * count + gold, sequence.weight) }
                        for feature in token + [guessAlone, guessJoined] { update(Int(feature) * count + guess, -sequence.weight) }
                    }
                    previousGold = gold
                    previousGuess = guess
                }
            }
        }
        step += 1
        var averaged = tagger
        for k in averaged.weights.indices {
            let total = totals[k] + Double(tagger.weights[k]) * Double(step - stamps[k])
            averaged.weights[k] = Float(total / Double(step))
        }
        return averaged
    }
}
