import ThreadGuardCore

/// Named care facilities: capitalised words ending in a facility word ("Mossy Hills Home", "Oak Manor",
/// "Sunrise Senior Living", "St. Luke's Hospital").
public struct FacilityRecognizer: Recognizer {
    public let name = "facility"
    let heads: PhraseSet

    public init(heads: [String]) {
        self.heads = PhraseSet(heads)
    }

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i < tokens.count {
            guard tokens[i].capitalized, let length = heads.matchLength(at: i, in: tokens) else { i += 1; continue }
            let headEnd = i + length - 1
            // Walk back over capitalised name words (and "St." / "of" / "'s") before the head.
            var first = i
            var k = i - 1
            var nameWords = 0
            while k >= 0 {
                let token = tokens[k]
                if token.kind == .word, token.capitalized, !Self.stopWords.contains(token.lower) {
                    nameWords += 1
                    first = k
                } else if token.lower == "." || token.lower == "'" || token.lower == "&" {
                    // part of "St." or "Mary's"
                } else {
                    break
                }
                k -= 1
                if nameWords >= 4 { break }
            }
            if nameWords > 0 {
                findings.append(text.finding(
                    .location, tokens: first, headEnd, score: 0.85, recognizer: name, subtype: "facility",
                    explanation: ["\(nameWords) capitalised name word(s) before the facility word '\(tokens[i..<(headEnd + 1)].map(\.lower).joined(separator: " "))'"]))
            }
            i = headEnd + 1
        }
    }

    static let stopWords: Set<String> = ["the", "at", "in", "from", "to", "my", "our", "a", "i", "and", "great", "thanks"]
}
