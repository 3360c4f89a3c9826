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

    /// Spans of consecutive tokens the tagger labelled with one type, as findings over original code points. Spans
    /// an identifier of that type cannot be are dropped: no letter or digit, or a number too short to identify.
    public static func findings(_ text: AnalysedText, labels: [Int], score: Double = 0.8) -> [Finding] {
        var out: [Finding] = []
        var k = 0
        while k < labels.count {
            guard let (type, _) = SpanLabels.type(of: labels[k]), let findingType = FindingType(rawValue: type) else { k += 1; continue }
            var last = k
            while last + 1 < labels.count, let (next, begin) = SpanLabels.type(of: labels[last + 1]), next == type, !begin { last += 1 }
            // Trim punctuation at either end ("- 4471" → "4471").
            var first = k, end = last
            while first <= end, text.tokens[first].kind == .punct || text.tokens[first].kind == .symbol { first += 1 }
            while end >= first, text.tokens[end].kind == .punct || text.tokens[end].kind == .symbol { end -= 1 }
            // A date takes in the weekday or "the" before it, as the labelling guide spans it ("Tuesday, Feb 11").
            if first <= end, findingType == .date { first = DateRecognizer.extendBack(first, text.tokens) }
            if first <= end, plausible(findingType, text.tokens[first...end]), findingType == .phone || !insidePhoneNumber(text, first, end) {
                out.append(text.finding(findingType, tokens: first, end, score: score, recognizer: "tagger"))
            }
            k = last + 1
        }
        return out
    }

    /// Whether tokens `first...end` lie in digits grouped as a telephone number (555-0100, (800) 555 0100,
    /// 1-800-555-0100): that is a number to call, not a device, account or record number, and the phone recognizer
    /// has judged it already.
    static func insidePhoneNumber(_ text: AnalysedText, _ first: Int, _ end: Int) -> Bool {
        let tokens = text.tokens
        func joins(_ k: Int) -> Bool {
            let token = tokens[k]
            if token.kind == .number { return true }
            guard token.kind == .punct, token.end - token.start == 1 else { return false }
            return "-.()".unicodeScalars.contains(text.text.lower[token.start])
        }
        guard (first...end).allSatisfy(joins) else { return false }
        var low = first, high = end
        while low > 0, joins(low - 1), tokens[low].start - tokens[low - 1].end <= 1 { low -= 1 }
        while high + 1 < tokens.count, joins(high + 1), tokens[high + 1].start - tokens[high].end <= 1 { high += 1 }
        let groups = tokens[low...high].filter { $0.kind == .number }.map { $0.end - $0.start }
        return [[3, 4], [3, 3, 4], [1, 3, 3, 4]].contains(groups)
    }

    /// Whether tokens can be an identifier of `type`: numbers and codes need four letters or digits in all, dates a
    /// word or more than one number, ages a number.
    static func plausible(_ type: FindingType, _ tokens: ArraySlice<Token>) -> Bool {
        let alphanumeric = tokens.reduce(0) { $0 + ($1.kind == .word || $1.kind == .number ? $1.length : 0) }
        let numbers = tokens.filter { $0.kind == .number }
        switch type {
        case .name, .location:
            // A weekday or a month alone ("Friday", "Jan") is neither a person nor a place.
            if tokens.count == 1, let only = tokens.first,
               DateRecognizer.weekdays.contains(id: only.id) || DetectLexicons.shared.monthWords.contains(only) { return false }
            return tokens.contains { $0.kind == .word }
        case .age90Plus: return !numbers.isEmpty || tokens.contains { $0.kind == .word }
        case .date: return tokens.contains { $0.kind == .word } || numbers.count >= 2 || numbers.contains { $0.length >= 4 }
        default: return alphanumeric >= 4 && (!numbers.isEmpty || type == .email || type == .url || type == .otherID || type == .licenseID)
        }
    }
}
