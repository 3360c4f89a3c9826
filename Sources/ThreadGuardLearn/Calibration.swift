import Foundation

/// Platt scaling: a probability `1 / (1 + exp(-(a · margin + b)))` fitted on margins the model gave to examples it
/// was not trained on (held-out folds), so that a score of 0.8 means right about four times in five.
public struct PlattScaling: Sendable, Equatable, Codable {
    public var a: Double
    public var b: Double

    public init(a: Double = 1, b: Double = 0) {
        self.a = a
        self.b = b
    }

    public func probability(_ margin: Float) -> Double { 1 / (1 + exp(-(a * Double(margin) + b))) }

    /// Fits `a` and `b` by Newton's method with a backtracking line search on the log loss, with Platt's smoothed
    /// targets (Lin, Lin and Weng's algorithm, which cannot diverge on separable margins).
    public static func fit(margins: [Float], targets: [Bool]) -> PlattScaling {
        let positives = Double(targets.filter { $0 }.count), negatives = Double(targets.count) - positives
        guard positives > 0, negatives > 0 else { return PlattScaling(a: 1, b: 0) }
        let high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2)
        let xs = margins.map(Double.init), ts = targets.map { $0 ? high : low }
        // The log loss of p = σ(a·x + b), written so that no exp overflows.
        func loss(_ a: Double, _ b: Double) -> Double {
            var total = 0.0
            for (x, t) in zip(xs, ts) {
                let z = a * x + b
                total += z >= 0 ? (1 - t) * z + log1p(exp(-z)) : -t * z + log1p(exp(z))
            }
            return total
        }
        var a = 0.0, b = log((positives + 1) / (negatives + 1))
        var current = loss(a, b)
        for _ in 0..<100 {
            var g1 = 0.0, g2 = 0.0, h11 = 1e-12, h22 = 1e-12, h21 = 0.0
            for (x, t) in zip(xs, ts) {
                let z = a * x + b
                let p = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
                let w = p * (1 - p)
                g1 += x * (p - t)
                g2 += p - t
                h11 += x * x * w
                h22 += w
                h21 += x * w
            }
            if abs(g1) < 1e-7 && abs(g2) < 1e-7 { break }
            let det = h11 * h22 - h21 * h21
            guard det > 0 else { break }
            let da = -(h22 * g1 - h21 * g2) / det, db = -(h11 * g2 - h21 * g1) / det
            let slope = g1 * da + g2 * db
            var step = 1.0
            var moved = false
            while step >= 1e-10 {
                let candidate = loss(a + step * da, b + step * db)
                if candidate <= current + 1e-4 * step * slope {
                    a += step * da
                    b += step * db
                    current = candidate
                    moved = true
                    break
                }
                step /= 2
            }
            if !moved { break }
        }
        return PlattScaling(a: a, b: b)
    }
}

/// Precision and recall of a label at a score threshold.
public struct ThresholdRow: Sendable, Equatable, Codable {
    public var threshold: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double
}

public enum Thresholds {
    /// The table of precision and recall at thresholds 0.05, 0.10 … 0.95.
    public static func table(probabilities: [Double], targets: [Bool]) -> [ThresholdRow] {
        stride(from: 0.05, through: 0.951, by: 0.05).map { threshold in
            var tp = 0.0, fp = 0.0, fn = 0.0
            for (p, t) in zip(probabilities, targets) {
                if p >= threshold { if t { tp += 1 } else { fp += 1 } } else if t { fn += 1 }
            }
            let precision = tp + fp > 0 ? tp / (tp + fp) : 1, recall = tp + fn > 0 ? tp / (tp + fn) : 1
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return ThresholdRow(threshold: (threshold * 100).rounded() / 100, precision: precision, recall: recall, f1: f1)
        }
    }

    /// The threshold with the best F-beta (beta 2 favours recall: a safety team must not miss adverse events).
    public static func best(probabilities: [Double], targets: [Bool], beta: Double) -> Double {
        var best = (score: -1.0, threshold: 0.5)
        let b2 = beta * beta
        for row in table(probabilities: probabilities, targets: targets) {
            let denominator = b2 * row.precision + row.recall
            let score = denominator > 0 ? (1 + b2) * row.precision * row.recall / denominator : 0
            if score > best.score { best = (score, row.threshold) }
        }
        return best.threshold
    }
}
