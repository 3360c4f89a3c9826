/// Text after normalisation, with a map from every normalised character back to the original code points.
/// Recognizers read `chars`/`lower`; findings are reported through `originalRange`.
public struct NormalizedText: Sendable {
    /// The comment as written, in Unicode code points.
    public let original: [Unicode.Scalar]
    /// Normalised characters (NFKC, invisibles removed, look-alikes folded, obfuscations rewritten).
    public let chars: [Unicode.Scalar]
    /// `chars` lowercased.
    public let lower: [Unicode.Scalar]
    /// For each normalised character, the original code-point range it came from; both empty when each
    /// character is the original one at its own offset (ASCII text nothing rewrote).
    let sourceStart: [Int32]
    let sourceEnd: [Int32]

    init(original: [Unicode.Scalar], chars: [Unicode.Scalar], sourceStart: [Int32], sourceEnd: [Int32]) {
        self.original = original
        self.chars = chars
        self.sourceStart = sourceStart
        self.sourceEnd = sourceEnd
        self.lower = chars.map(CharClass.lowercase)
    }

    public var count: Int { chars.count }

    /// The original code-point range covered by normalised characters `start..<end`.
    public func originalRange(_ start: Int, _ end: Int) -> Range<Int> {
        let identity = sourceStart.isEmpty
        guard start < end, start >= 0, end <= chars.count else {
            let at = start >= 0 && start < chars.count ? (identity ? start : Int(sourceStart[start])) : original.count
            return at..<at
        }
        return identity ? start..<end : Int(sourceStart[start])..<Int(sourceEnd[end - 1])
    }

    /// The normalised text of a range, lowercased.
    public func lowerString(_ start: Int, _ end: Int) -> String {
        var bytes = 0
        for k in start..<end { bytes += UTF8.width(lower[k]) }
        return String(unsafeUninitializedCapacity: bytes) { buffer in
            var n = 0
            for k in start..<end {
                UTF8.encode(lower[k]) { byte in
                    buffer[n] = byte
                    n += 1
                }
            }
            return n
        }
    }

    public func string(_ start: Int, _ end: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: chars[start..<end])
        return String(s)
    }
}

/// Fast character classes on scalars: ASCII by arithmetic; Latin to CJK punctuation and the emoji planes by a
/// table of Unicode's properties (a search of its property tables per character cost over 1% of `classify`);
/// any other scalar by its properties.
public enum CharClass {
    @inline(__always) public static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
    @inline(__always) public static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value | 0x20) >= 97 && (c.value | 0x20) <= 122
    }
    @inline(__always) public static func isLetter(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? isASCIILetter(c) : has(c, ScalarFlags.alphabetic)
    }
    @inline(__always) public static func isUpper(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? (c.value >= 65 && c.value <= 90) : has(c, ScalarFlags.uppercase)
    }
    @inline(__always) public static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.value == 32 || c.value == 10 || c.value == 9 || c.value == 13 || (c.value > 127 && has(c, ScalarFlags.whitespace))
    }
    @inline(__always) public static func lowercase(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.value < 128 {
            return (c.value >= 65 && c.value <= 90) ? Unicode.Scalar(c.value + 32)! : c
        }
        guard has(c, ScalarFlags.changesWhenLowercased) else { return c }
        let mapped = c.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : c
    }

    /// Whether case folding changes a non-ASCII scalar ("É" to "é", "ß" to "ss"; not "é", "’" or "😀").
    public static func changesWhenCaseFolded(_ c: Unicode.Scalar) -> Bool { has(c, ScalarFlags.changesWhenCaseFolded) }

    /// Whether a non-ASCII scalar is a format character (general category Cf: joiners, marks of direction).
    public static func isFormat(_ c: Unicode.Scalar) -> Bool { has(c, ScalarFlags.format) }

    /// Whether NFKC case folding changes a non-ASCII scalar.
    public static func changesWhenNFKCCaseFolded(_ c: Unicode.Scalar) -> Bool { has(c, ScalarFlags.changesWhenNFKCCaseFolded) }

    /// Whether a non-ASCII scalar has a property: from the table where it covers the scalar.
    @inline(__always) static func has(_ c: Unicode.Scalar, _ flag: UInt8) -> Bool {
        let value = Int(c.value)
        if value < ScalarFlags.lowEnd { return ScalarFlags.low[value] & flag != 0 }
        if value >= ScalarFlags.emojiStart, value < ScalarFlags.emojiEnd { return ScalarFlags.emoji[value - ScalarFlags.emojiStart] & flag != 0 }
        return ScalarFlags.flags(c) & flag != 0
    }
}

/// Unicode properties `CharClass` reads, as bits of one byte per scalar for U+0000–U+2FFF and U+1F000–U+1FFFF
/// (made on first use, in a few milliseconds; `LexiconWarmUp` makes them before any text is read).
enum ScalarFlags {
    static let alphabetic: UInt8 = 1, uppercase: UInt8 = 2, whitespace: UInt8 = 4, changesWhenLowercased: UInt8 = 8,
               changesWhenCaseFolded: UInt8 = 16, format: UInt8 = 32, changesWhenNFKCCaseFolded: UInt8 = 64
    static let lowEnd = 0x3000, emojiStart = 0x1_F000, emojiEnd = 0x2_0000
    static let low: [UInt8] = (0..<lowEnd).map { Unicode.Scalar(UInt32($0)).map(flags) ?? 0 }
    static let emoji: [UInt8] = (emojiStart..<emojiEnd).map { Unicode.Scalar(UInt32($0)).map(flags) ?? 0 }

    static func flags(_ c: Unicode.Scalar) -> UInt8 {
        let p = c.properties
        return (p.isAlphabetic ? alphabetic : 0) | (p.isUppercase ? uppercase : 0) | (p.isWhitespace ? whitespace : 0)
            | (p.changesWhenLowercased ? changesWhenLowercased : 0) | (p.changesWhenCaseFolded ? changesWhenCaseFolded : 0)
            | (p.generalCategory == .format ? format : 0) | (p.changesWhenNFKCCaseFolded ? changesWhenNFKCCaseFolded : 0)
    }
}
