import ThreadGuardCore
import ThreadGuardDetect

/// The identifier types the sequence tagger marks, and its labels: O, then B- and I- of each type.
public enum SpanLabels {
    public static let types = ["NAME", "LOCATION", "DATE", "AGE_90_PLUS", "PHONE", "EMAIL", "SSN", "MRN", "HEALTH_PLAN_ID", "ACCOUNT_ID",
                               "LICENSE_ID", "DEVICE_ID", "VEHICLE_ID", "URL", "IP", "OTHER_ID"]
    public static let labels = ["O"] + types.flatMap { ["B-" + $0, "I-" + $0] }
    public static let outside = 0

    /// The label index of `type` at its first token (`begin`) or inside it.
    public static func label(_ type: String, begin: Bool) -> Int? {
        types.firstIndex(of: type).map { 1 + $0 * 2 + (begin ? 0 : 1) }
    }

    /// The type of a label index, and whether it begins a span; nil for O.
    public static func type(of label: Int) -> (type: String, begin: Bool)? {
        label == outside ? nil : (types[(label - 1) / 2], (label - 1) % 2 == 0)
    }
}

/// Per-token features of the sequence tagger: the word, its shape, affixes and lexicon memberships, the same for its
/// neighbours, the line and sentence around it, and which identifier the deterministic recognizers put there.
public struct TokenFeatures: Sendable {
    public let hasher: FeatureHasher
    let lexicons = DetectLexicons.shared

    public init(hasher: FeatureHasher) { self.hasher = hasher }

    /// `findings`: the recognizers' identifier findings (original offsets), given to the tagger as features; `brand`:
    /// where the brand's own contact details stand (never an identifier).
    public func extract(_ text: AnalysedText, findings: [Finding], brand: [Range<Int>] = []) -> [[Int32]] {
        let tokens = text.tokens
        let words = tokens.map { token -> String in token.kind == .number ? "#" + String(token.length) : text.lower(token) }
        let shapes = tokens.indices.map { Self.shape(text, tokens[$0]) }
        let ruleTags = Self.ruleTags(text, findings: findings)
        var out: [[Int32]] = []
        out.reserveCapacity(tokens.count)
        for i in tokens.indices {
            var names: [String] = ["bias", "w:" + words[i], "s:" + shapes[i]]
            let token = tokens[i]
            if token.kind == .word {
                let lower = words[i]
                let scalars = Array(lower.unicodeScalars)
                if scalars.count >= 3 {
                    names.append("p3:" + String(String.UnicodeScalarView(scalars.prefix(3))))
                    names.append("x3:" + String(String.UnicodeScalarView(scalars.suffix(3))))
                    names.append("x2:" + String(String.UnicodeScalarView(scalars.suffix(2))))
                }
                if lexicons.givenNames.contains(token) { names.append("lex:given") }
                if lexicons.surnames.contains(token) { names.append("lex:surname") }
                if lexicons.streetSuffixes.contains(token) { names.append("lex:street") }
                if lexicons.monthWords.contains(token) { names.append("lex:month") }
                if lexicons.facilityHeads.matchLength(at: i, in: tokens) != nil { names.append("lex:facility") }
                if lexicons.departments.matchLength(at: i, in: tokens) != nil { names.append("lex:department") }
            } else if token.kind == .number, let value = token.smallNumber {
                if value >= 90 && value <= 120 { names.append("num:90s") }
                if value >= 1900 && value <= 2100 && token.length == 4 { names.append("num:year") }
                if value >= 1 && value <= 31 && token.length <= 2 { names.append("num:day") }
            }
            if i == 0 || token.lineBefore { names.append("pos:first") }
            if !token.spaceBefore && i > 0 { names.append("glued") }
            for offset in [-2, -1, 1, 2] {
                let j = i + offset
                guard j >= 0, j < tokens.count else { names.append("n\(offset):edge"); continue }
                names.append("n\(offset):" + words[j])
                names.append("ns\(offset):" + shapes[j])
            }
            if i > 0 { names.append("pair:" + words[i - 1] + "|" + words[i]) }
            if !brand.isEmpty {
                let range = text.text.originalRange(token.start, token.end)
                if brand.contains(where: { $0.lowerBound < range.upperBound && range.lowerBound < $0.upperBound }) { names.append("brand") }
            }
            if let tag = ruleTags[i] {
                names.append("r:" + tag)
                names.append("r:" + tag + ":" + shapes[i])
            }
            out.append(names.map(hasher.index))
        }
        return out
    }

    /// "Xxxx", "xx", "dd-dd", "X." — letters, digits and marks, runs of more than two squeezed to two.
    static func shape(_ text: AnalysedText, _ token: Token) -> String {
        var out = String.UnicodeScalarView()
        var last: Unicode.Scalar = " ", run = 0
        for k in token.start..<min(token.end, token.start + 24) {
            let c = text.text.chars[k]
            let s: Unicode.Scalar = CharClass.isDigit(c) ? "d" : (c.properties.isUppercase ? "X" : (c.properties.isAlphabetic ? "x" : c))
            if s == last { run += 1 } else { run = 1; last = s }
            if run <= 2 { out.append(s) }
        }
        return String(out)
    }

    /// For each token, the recognizers' label there ("B-PHONE", "I-NAME"), if any.
    static func ruleTags(_ text: AnalysedText, findings: [Finding]) -> [String?] {
        var tags = [String?](repeating: nil, count: text.tokens.count)
        guard !findings.isEmpty else { return tags }
        let starts = text.tokens.map { text.text.originalRange($0.start, $0.end) }
        for finding in findings where finding.type.isIdentifier {
            var first = true
            for (k, range) in starts.enumerated() where range.lowerBound < finding.end && finding.start < range.upperBound {
                tags[k] = (first ? "B-" : "I-") + finding.type.rawValue
                first = false
            }
        }
        return tags
    }
}
