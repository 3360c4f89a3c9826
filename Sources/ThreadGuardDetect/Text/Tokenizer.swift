/// A word, number or punctuation mark of the normalised text.
public struct Token: Sendable {
    public enum Kind: UInt8, Sendable { case word, number, punct, symbol }
    public let kind: Kind
    /// Range in normalised characters.
    public let start: Int
    public let end: Int
    /// Lowercased text.
    public let lower: String
    /// First letter is upper case.
    public let capitalized: Bool
    /// How many characters are upper-case letters.
    public var upperCount: Int = 0
    /// The word's vocabulary number (-1 when no lexicon knows it).
    public var id: Int32 = -1
    /// Whitespace (or the start of text) comes right before this token.
    public let spaceBefore: Bool
    /// A line break comes before this token.
    public let lineBefore: Bool

    public var length: Int { end - start }

    init(
        kind: Kind, start: Int, end: Int, lower: String, capitalized: Bool, spaceBefore: Bool, lineBefore: Bool,
        upperCount: Int = 0, id: Int32
    ) {
        self.kind = kind
        self.start = start
        self.end = end
        self.lower = lower
        self.capitalized = capitalized
        self.spaceBefore = spaceBefore
        self.lineBefore = lineBefore
        self.upperCount = upperCount
        self.id = id
    }
}

/// Splits normalised text into tokens: letters (with inner apostrophes) form words, digits form numbers,
/// everything else is one punctuation or symbol token per character.
public enum Tokenizer {
    /// `numbered: false` leaves every token's vocabulary number at -1: lexicons splitting their own phrases
    /// while they are being built would otherwise rebuild the vocabulary index for every phrase.
    public static func tokenize(_ text: NormalizedText, numbered: Bool = true) -> [Token] {
        let chars = text.chars
        let vocabulary = numbered ? Vocabulary.shared.snapshot() : VocabularyIndex.empty
        let possessiveID = vocabulary.id(of: "'s")
        let lowerChars = text.lower
        /// The vocabulary number of lowercased characters `start..<end`: packed when short and ASCII.
        func id(_ start: Int, _ end: Int, _ lower: String) -> Int32 {
            if let key = VocabularyIndex.key(lowerChars[start..<end]) { return vocabulary.id(packed: key) }
            return vocabulary.dictionary[lower] ?? -1
        }
        var tokens: [Token] = []
        tokens.reserveCapacity(chars.count / 4)
        var i = 0
        var space = true
        var line = false
        while i < chars.count {
            let c = chars[i]
            if CharClass.isSpace(c) {
                space = true
                if c.value == 10 { line = true }
                i += 1
                continue
            }
            let start = i
            let kind: Token.Kind
            if CharClass.isDigit(c) {
                while i < chars.count, CharClass.isDigit(chars[i]) { i += 1 }
                kind = .number
            } else if CharClass.isLetter(c) {
                i += 1
                while i < chars.count {
                    let d = chars[i]
                    if CharClass.isLetter(d) || (d.value >= 0x300 && d.properties.generalCategory == .nonspacingMark) {
                        i += 1
                    } else if d == "'" && i + 1 < chars.count && CharClass.isLetter(chars[i + 1]) {
                        i += 2
                    } else {
                        break
                    }
                }
                kind = .word
                // A possessive 's is its own token, so "husband's" matches "husband".
                if i - start > 2, chars[i - 2] == "'", chars[i - 1] == "s" || chars[i - 1] == "S" {
                    let wordEnd = i - 2
                    var upper = 0
                    for k in start..<wordEnd where CharClass.isUpper(chars[k]) { upper += 1 }
                    let lower = text.lowerString(start, wordEnd)
                    tokens.append(Token(
                        kind: .word, start: start, end: wordEnd, lower: lower,
                        capitalized: CharClass.isUpper(chars[start]), spaceBefore: space, lineBefore: line, upperCount: upper,
                        id: id(start, wordEnd, lower)))
                    tokens.append(Token(kind: .word, start: wordEnd, end: i, lower: "'s", capitalized: false, spaceBefore: false, lineBefore: false, id: possessiveID))
                    space = false
                    line = false
                    continue
                }
            } else {
                i += 1
                kind = c.value < 128 || c.properties.generalCategory.isPunctuation ? .punct : .symbol
            }
            var upper = 0
            if kind == .word { for k in start..<i where CharClass.isUpper(chars[k]) { upper += 1 } }
            let lower = text.lowerString(start, i)
            tokens.append(Token(
                kind: kind, start: start, end: i, lower: lower,
                capitalized: kind == .word && CharClass.isUpper(chars[start]), spaceBefore: space, lineBefore: line,
                upperCount: upper, id: id(start, i, lower)))
            space = false
            line = false
        }
        return tokens
    }
}

extension Unicode.GeneralCategory {
    var isPunctuation: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
