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
        label == outside ? nil : (types[typeIndex(of: label)], begins(label))
    }

    /// The index in `types` of a label's type; -1 for O.
    @inline(__always) public static func typeIndex(of label: Int) -> Int { label == outside ? -1 : (label - 1) / 2 }

    /// Whether a label begins a span (O counts as beginning none, so it is never "inside").
    @inline(__always) public static func begins(_ label: Int) -> Bool { label == outside || (label - 1) % 2 == 0 }
}

/// Per-token features of the sequence tagger: the word, its shape, affixes and lexicon memberships, the same for its
/// neighbours, the line and sentence around it, and which identifier the deterministic recognizers put there. Hashed
/// as they are read (`FeatureHash`): no string per token.
public struct TokenFeatures: Sendable {
    public let hasher: FeatureHasher
    let lexicons = DetectLexicons.shared
    /// Features that need no content, hashed once.
    let bias, given, surname, street, month, facility, department, nineties, year, day, first, glued, brand: Int32
    let edges: [Int32]

    public init(hasher: FeatureHasher) {
        self.hasher = hasher
        (bias, given, surname, street, month) = (hasher.index("bias"), hasher.index("lex:given"), hasher.index("lex:surname"),
                                                 hasher.index("lex:street"), hasher.index("lex:month"))
        (facility, department, nineties, year, day) = (hasher.index("lex:facility"), hasher.index("lex:department"), hasher.index("num:90s"),
                                                       hasher.index("num:year"), hasher.index("num:day"))
        (first, glued, brand) = (hasher.index("pos:first"), hasher.index("glued"), hasher.index("brand"))
        edges = Self.neighbours.map { hasher.index($0.3) }
    }

    /// `findings`: the recognizers' identifier findings (original offsets), given to the tagger as features; `brand`:
    /// where the brand's own contact details stand (never an identifier).
    public func extract(_ text: AnalysedText, findings: [Finding], brand: [Range<Int>] = []) -> [[Int32]] {
        let tokens = text.tokens
        let lower = text.text.lower
        let words = CommentFeatures.wordHashes(text)
        let shapes = tokens.map { Self.shape(text, $0) }
        let ruleTags = Self.ruleTags(text, findings: findings)
        func feature(_ tag: StaticString, _ part: FeatureHash) -> Int32 {
            var hash = FeatureHash(tag)
            hash.add(hash: part)
            return hasher.bucket(hash)
        }
        func feature(_ tag: StaticString, _ one: FeatureHash, _ two: FeatureHash) -> Int32 {
            var hash = FeatureHash(tag)
            hash.add(hash: one)
            hash.separate()
            hash.add(hash: two)
            return hasher.bucket(hash)
        }
        var out: [[Int32]] = []
        out.reserveCapacity(tokens.count)
        for i in tokens.indices {
            let token = tokens[i]
            var f: [Int32] = [bias, feature("w", words[i]), feature("s", shapes[i])]
            f.reserveCapacity(28)
            if token.kind == .word {
                if token.length >= 3 {
                    for (tag, from, to) in [("p3", token.start, token.start + 3), ("x3", token.end - 3, token.end), ("x2", token.end - 2, token.end)] {
                        var hash = FeatureHash()
                        hash.add(tag)
                        hash.separate()
                        for k in from..<to { hash.add(lower[k]) }
                        f.append(hasher.bucket(hash))
                    }
                }
                if lexicons.givenNames.contains(token) { f.append(given) }
                if lexicons.surnames.contains(token) { f.append(surname) }
                if lexicons.streetSuffixes.contains(token) { f.append(street) }
                if lexicons.monthWords.contains(token) { f.append(month) }
                if lexicons.facilityHeads.matchLength(at: i, in: tokens) != nil { f.append(facility) }
                if lexicons.departments.matchLength(at: i, in: tokens) != nil { f.append(department) }
            } else if token.kind == .number, let value = token.smallNumber {
                if value >= 90 && value <= 120 { f.append(nineties) }
                if value >= 1900 && value <= 2100 && token.length == 4 { f.append(year) }
                if value >= 1 && value <= 31 && token.length <= 2 { f.append(day) }
            }
            if i == 0 || token.lineBefore { f.append(first) }
            if !token.spaceBefore && i > 0 { f.append(glued) }
            for (n, (offset, wordTag, shapeTag, _)) in Self.neighbours.enumerated() {
                let j = i + offset
                guard j >= 0, j < tokens.count else { f.append(edges[n]); continue }
                f.append(feature(wordTag, words[j]))
                f.append(feature(shapeTag, shapes[j]))
            }
            if i > 0 { f.append(feature("pair", words[i - 1], words[i])) }
            if !brand.isEmpty {
                let range = text.text.originalRange(token.start, token.end)
                if brand.contains(where: { $0.lowerBound < range.upperBound && range.lowerBound < $0.upperBound }) { f.append(self.brand) }
            }
            if let tag = ruleTags[i] {
                var alone = FeatureHash("r")
                alone.add(tag)
                f.append(hasher.bucket(alone))
                f.append(feature("rs", alone, shapes[i]))
            }
            out.append(f)
        }
        return out
    }

    static let neighbours: [(Int, StaticString, StaticString, String)] = [
        (-2, "n-2", "ns-2", "n-2:edge"), (-1, "n-1", "ns-1", "n-1:edge"), (1, "n1", "ns1", "n1:edge"), (2, "n2", "ns2", "n2:edge"),
    ]

    /// "Xxxx", "xx", "dd-dd", "X." — letters, digits and marks, runs of more than two squeezed to two, hashed.
    static func shape(_ text: AnalysedText, _ token: Token) -> FeatureHash {
        var hash = FeatureHash()
        var last: Unicode.Scalar = " ", run = 0
        for k in token.start..<min(token.end, token.start + 24) {
            let c = text.text.chars[k]
            let s: Unicode.Scalar = CharClass.isDigit(c) ? "d" : (c.value < 128 ? (c.value >= 65 && c.value <= 90 ? "X" : (c.value >= 97 && c.value <= 122 ? "x" : c))
                                                                 : (c.properties.isUppercase ? "X" : (c.properties.isAlphabetic ? "x" : c)))
            if s == last { run += 1 } else { run = 1; last = s }
            if run <= 2 { hash.add(s) }
        }
        return hash
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
