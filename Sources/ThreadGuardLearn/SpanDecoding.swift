import ThreadGuardCore
import ThreadGuardDetect

/// Between labelled spans (original code points) and token labels.
public enum SpanDecoding {
    /// The gold label of each token: B- on the first token a span overlaps, I- on the rest, O elsewhere.
    public static func labels(_ text: AnalysedText, spans: [LabelledComment.Span]) -> [Int] {
        var labels = [Int](repeating: SpanLabels.outside, count: text.tokens.count)
        let ranges = text.tokens.map { text.text.originalRange($0.start, $0.end) }
        for span in spans.sorted(by: { $0.start < $1.start }) {
            var first = true
            for (k, range) in ranges.enumerated() where range.lowerBound < span.end && span.start < range.upperBound && labels[k] == SpanLabels.outside {
                guard let label = SpanLabels.label(span.type, begin: first) else { break }
                labels[k] = label
                first = false
            }
        }
        return labels
    }

    /// Spans of consecutive tokens the tagger labelled with one type, as findings over original code points.
    public static func findings(_ text: AnalysedText, labels: [Int], score: Double = 0.8) -> [Finding] {
        var out: [Finding] = []
        var k = 0
        while k < labels.count {
            guard let (type, _) = SpanLabels.type(of: labels[k]), let findingType = FindingType(rawValue: type) else { k += 1; continue }
            var last = k
            while last + 1 < labels.count, let (next, begin) = SpanLabels.type(of: labels[last + 1]), next == type, !begin { last += 1 }
            out.append(text.finding(findingType, tokens: k, last, score: score, recognizer: "tagger"))
            k = last + 1
        }
        return out
    }
}
