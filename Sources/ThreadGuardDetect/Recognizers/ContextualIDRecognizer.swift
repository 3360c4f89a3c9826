import ThreadGuardCore

/// An identifier that is only an identifier because of the words before it ("MRN 00123456", "order #A1234-77"):
/// a context phrase, then within a few filler words a code with enough digits. One declared instance per type.
public struct ContextualIDRecognizer: Recognizer {
    public let name: String
    public let type: FindingType
    public let context: PhraseSet
    public let minDigits: Int
    public let baseScore: Double
    /// How many tokens may sit between the context phrase and the code ("MRN is: 123").
    public let gap: Int

    public init(name: String, type: FindingType, context: [String], minDigits: Int = 4, baseScore: Double = 0.85, gap: Int = 4) {
        self.name = name
        self.type = type
        self.context = PhraseSet(context)
        self.minDigits = minDigits
        self.baseScore = baseScore
        self.gap = gap
    }

    static let fillers: Set<String> = [
        "#", ":", "-", "is", "was", "number", "no", "num", "nr", "id", "=", "of", "the", "my", "her", "his", "#:",
        "es", "el", "número", "numero", ".", "nbr", "n", "º", "°", "(", ")",
    ]

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i < tokens.count {
            guard let length = context.matchLength(at: i, in: tokens) else { i += 1; continue }
            let cue = tokens[i..<(i + length)].map(\.lower).joined(separator: " ")
            var j = i + length
            var skipped = 0
            while j < tokens.count, skipped < gap, Self.fillers.contains(tokens[j].lower) {
                j += 1
                skipped += 1
            }
            if let code = Self.code(at: j, in: tokens), code.digits >= minDigits {
                findings.append(text.finding(
                    type, tokens: j, code.last, score: baseScore, recognizer: name,
                    explanation: ["context '\(cue)' then a code of \(code.digits) digits, base \(baseScore)"]))
                i = code.last + 1
                continue
            }
            i += length
        }
    }

    /// A code: letters and digits joined without spaces (or by - / .), with its digit count.
    static func code(at start: Int, in tokens: [Token]) -> (last: Int, digits: Int)? {
        guard start < tokens.count, tokens[start].kind == .number || tokens[start].kind == .word else { return nil }
        var digits = 0
        var last = start
        var i = start
        while i < tokens.count {
            let token = tokens[i]
            if i > start && token.spaceBefore { break }
            if token.kind == .number {
                digits += token.length
                last = i
            } else if token.kind == .word {
                last = i
            } else if ["-", "/", "."].contains(token.lower), i + 1 < tokens.count, !tokens[i + 1].spaceBefore,
                      tokens[i + 1].kind == .number || tokens[i + 1].kind == .word {
                // joined on
            } else {
                break
            }
            i += 1
        }
        return digits > 0 ? (last, digits) : nil
    }
}
