/// A word, number or punctuation mark of the normalised text.
public struct Token: Sendable {
    public enum Kind: UInt8, Sendable { case word, number, punct, symbol }
    // Small fields first: the token takes 56 bytes instead of 64.
    public let kind: Kind
    /// First letter is upper case.
    public let capitalized: Bool
    /// Whitespace (or the start of text) comes right before this token.
    public let spaceBefore: Bool
    /// A line break comes before this token.
    public let lineBefore: Bool
    /// The word's vocabulary number (-1 when no lexicon knows it).
    public var id: Int32 = -1
    /// Range in normalised characters.
    public let start: Int
    public let end: Int
    /// How many characters are upper-case letters.
    public var upperCount: Int = 0
    /// The lowercased text packed into an integer when it is one to eight ASCII characters, else 0: `is(_:)`
    /// compares it with a literal without touching the text. The text itself is `AnalysedText.lower(_:)`: a
    /// token holds no string, so tokens are plain values (copied without reference counting, made without
    /// building a string each).
    public let key: UInt64

    public var length: Int { end - start }

    /// The value of a number token of up to eight digits (read from `key`), else nil.
    public var smallNumber: Int? {
        guard kind == .number, key != 0 else { return nil }
        var value = 0
        var shift = UInt64(length - 1) * 8
        for _ in 0..<length {
            value = value * 10 + Int((key >> shift) & 0xFF) - 48
            shift &-= 8
        }
        return value
    }

    /// Whether the lowercased token is `word`, a lowercase ASCII literal of one to eight characters.
    @inline(__always) public func `is`(_ word: StaticString) -> Bool { key == Self.pack(word) }

    /// A literal packed as `key` packs a token (folds to a constant where the literal is known).
    @inline(__always) static func pack(_ word: StaticString) -> UInt64 {
        assert(word.utf8CodeUnitCount <= 8, "Token.is compares words of up to eight characters")
        var key: UInt64 = 0
        let bytes = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount { key = key << 8 | UInt64(bytes[k]) }
        return key
    }

    init(
        kind: Kind, start: Int, end: Int, key: UInt64, capitalized: Bool, spaceBefore: Bool, lineBefore: Bool,
        upperCount: Int = 0, id: Int32
    ) {
        self.kind = kind
        self.start = start
        self.end = end
        self.key = key
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
        /// The vocabulary number of lowercased characters `start..<end` (packed in `key` when short and ASCII;
        /// a string is made only for a long word that is not ASCII).
        func id(_ start: Int, _ end: Int, _ key: UInt64) -> Int32 {
            if key != 0 { return vocabulary.id(packed: key) }
            return vocabulary.id(long: lowerChars[start..<end]) { text.lowerString(start, end) }
        }
        /// The packed key of characters `start..<end` (`VocabularyIndex.key`, or 0) and, for a word, how many of
        /// them are upper case: one pass over the characters.
        func shape(_ start: Int, _ end: Int, word: Bool) -> (upper: Int, key: UInt64) {
            var upper = 0
            var key: UInt64 = 0
            var packable = end - start <= 8
            for k in start..<end {
                if word, CharClass.isUpper(chars[k]) { upper += 1 }
                if packable {
                    let value = lowerChars[k].value
                    if value == 0 || value >= 128 { packable = false } else { key = key << 8 | UInt64(value) }
                }
            }
            return (upper, packable ? key : 0)
        }
        let possessiveKey = Token.pack("'s")
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
                    let (upper, packed) = shape(start, wordEnd, word: true)
                    tokens.append(Token(
                        kind: .word, start: start, end: wordEnd, key: packed,
                        capitalized: CharClass.isUpper(chars[start]), spaceBefore: space, lineBefore: line, upperCount: upper,
                        id: id(start, wordEnd, packed)))
                    tokens.append(Token(
                        kind: .word, start: wordEnd, end: i, key: possessiveKey, capitalized: false, spaceBefore: false,
                        lineBefore: false, id: possessiveID))
                    space = false
                    line = false
                    continue
                }
            } else {
                i += 1
                kind = c.value < 128 || c.properties.generalCategory.isPunctuation ? .punct : .symbol
            }
            let (upper, packed) = shape(start, i, word: kind == .word)
            tokens.append(Token(
                kind: kind, start: start, end: i, key: packed,
                capitalized: kind == .word && CharClass.isUpper(chars[start]), spaceBefore: space, lineBefore: line,
                upperCount: upper, id: id(start, i, packed)))
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
