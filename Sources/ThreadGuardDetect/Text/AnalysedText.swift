import ThreadGuardCore

/// Normalised text and its tokens, with helpers recognizers share: context look-ups and findings mapped back
/// to original offsets.
public struct AnalysedText: Sendable {
    public let text: NormalizedText
    public let tokens: [Token]
    /// The vocabulary numbers of the text's tokens: a phrase set whose first words are all absent cannot match.
    let words: WordBits
    /// Findings carry their explanations only when asked (`--explain`, `policy explain`): building the
    /// sentences costs more than finding most identifiers.
    public var explain = false

    public init(_ raw: String, normalizer: TextNormalizer = TextNormalizer()) {
        // Word lists must exist before tokens take their vocabulary numbers.
        precondition(LexiconWarmUp.done)
        text = normalizer.normalize(raw)
        tokens = Tokenizer.tokenize(text)
        var highest: Int32 = -1
        for k in tokens.indices { highest = max(highest, tokens[k].id) }
        var words = WordBits(highest: highest)
        for k in tokens.indices where tokens[k].id >= 0 { words.insert(tokens[k].id) }
        self.words = words
    }

    /// The token's text, lower-cased.
    public func lower(_ token: Token) -> String { text.lowerString(token.start, token.end) }

    /// Tokens `range` lower-cased and joined by spaces, as a cue is quoted in an explanation.
    public func phrase(_ range: Range<Int>) -> String {
        tokens[range].map { lower($0) }.joined(separator: " ")
    }

    /// A finding over normalised characters `start..<end`, reported in original code points.
    public func finding(
        _ type: FindingType, chars start: Int, _ end: Int, score: Double, recognizer: String, subtype: String? = nil,
        explanation: @autoclosure () -> [String] = []
    ) -> Finding {
        let range = text.originalRange(start, end)
        return Finding(
            type: type, start: range.lowerBound, end: range.upperBound, score: score, recognizer: recognizer,
            subtype: subtype, explanation: explain ? explanation() : [])
    }

    /// A finding over tokens `first...last`.
    public func finding(
        _ type: FindingType, tokens first: Int, _ last: Int, score: Double, recognizer: String, subtype: String? = nil,
        explanation: @autoclosure () -> [String] = []
    ) -> Finding {
        finding(type, chars: tokens[first].start, tokens[last].end, score: score, recognizer: recognizer,
                subtype: subtype, explanation: explain ? explanation() : [])
    }

    /// The first context phrase found among the `window` word tokens before token `index`.
    public func contextBefore(_ index: Int, window: Int, phrases: PhraseSet) -> String? {
        var seen = 0
        var i = index - 1
        while i >= 0, seen < window {
            if let match = phrases.matchEnding(at: i, in: self) { return match }
            if tokens[i].kind == .word || tokens[i].kind == .number { seen += 1 }
            if tokens[i].lineBefore && seen > 0 { break }
            i -= 1
        }
        return nil
    }

    /// The first phrase found anywhere in the text.
    public func firstPhrase(in phrases: PhraseSet) -> (phrase: String, first: Int, last: Int)? {
        for i in tokens.indices {
            if let length = phrases.matchLength(at: i, in: tokens) {
                return (phrase(i..<(i + length)), i, i + length - 1)
            }
        }
        return nil
    }
}
