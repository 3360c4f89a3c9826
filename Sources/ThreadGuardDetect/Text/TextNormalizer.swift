import Foundation

/// Turns a comment into `NormalizedText`: NFKC per character (cached), invisible format characters removed,
/// Cyrillic and Greek look-alikes folded to Latin, keycap digits to digits. Every output character keeps the
/// original range it came from.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ text: String) -> NormalizedText {
        normalize(text, prefilter: true)
    }

    /// `prefilter: false` runs every rewriting pass whatever the text (tests compare the two).
    func normalize(_ text: String, prefilter: Bool) -> NormalizedText {
        // Sized once from the UTF-8 length (an upper bound on the code points) instead of grown by doubling.
        // Appended one by one: `append(contentsOf:)` would count the scalars first, walking the text twice.
        var original: [Unicode.Scalar] = []
        original.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { original.append(scalar) }
        var buffer = foldCharacters(original)
        if !prefilter || RewritePrefilter.mayRewrite(buffer.chars) {
            var pieces = Piece.scan(buffer)
            // Each pass re-splits only when the one before changed something.
            var (next, changed) = SpelledNumbers.rewrite(buffer, pieces: pieces)
            if changed { buffer = next; pieces = Piece.scan(buffer) }
            (next, changed) = ObfuscatedEmail.rewrite(buffer, pieces: pieces)
            if changed { buffer = next; pieces = Piece.scan(buffer) }
            (next, changed) = SpreadCharacters.rewrite(buffer, pieces: pieces)
            if changed { buffer = next }
        }
        return NormalizedText(original: original, chars: buffer.chars, sourceStart: buffer.starts, sourceEnd: buffer.ends)
    }

    /// Character-level folding: NFKC, invisibles, look-alikes, keycaps.
    func foldCharacters(_ original: [Unicode.Scalar]) -> CharBuffer {
        var buffer = CharBuffer()
        if original.allSatisfy({ $0.value < 128 }) {
            // ASCII is its own NFKC form, with nothing to fold: each character maps to itself (no map is kept).
            buffer.chars = original
            return buffer
        }
        // Every output character covers the one original character it came from.
        var folded = CharBuffer(capacity: original.count)
        var i = 0
        while i < original.count {
            let c = original[i]
            let start = Int32(i), end = Int32(i + 1)
            if c.value < 128 {
                folded.append(c, start: start, end: end)
                i += 1
                continue
            }
            // Keycap emoji: digit, optional VS16, U+20E3.
            if c.value == 0x20E3 || c.value == 0xFE0F || Self.isInvisible(c.value) {
                if c.value == 0x20E3, let last = folded.ends.last { folded.ends[folded.ends.count - 1] = max(last, end) }
                else if c.value == 0xFE0F, let last = folded.ends.last, i + 1 < original.count, original[i + 1].value == 0x20E3 {
                    folded.ends[folded.ends.count - 1] = max(last, end)
                }
                i += 1
                continue
            }
            switch Self.folding(c) {
            case .kept: folded.append(c, start: start, end: end)
            case .dropped: break
            case .one(let scalar): folded.append(scalar, start: start, end: end)
            case .many(let scalars): for scalar in scalars { folded.append(scalar, start: start, end: end) }
            }
            i += 1
        }
        return folded
    }

    /// Zero-width spaces and joiners, word joiner, BOM, soft hyphen, bidi marks and other format characters
    /// (a switch: a set would hash every non-ASCII character).
    static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B...0x200F, 0x202A...0x202E,
             0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x3164, 0xFFA0:
            return true
        default:
            return false
        }
    }

    /// Look-alike letters NFKC leaves alone, folded to the Latin letter they imitate.
    static let homoglyphs: [UInt32: Unicode.Scalar] = {
        let pairs: [(UInt32, Character)] = [
            // Cyrillic
            (0x0430, "a"), (0x0435, "e"), (0x043E, "o"), (0x0440, "p"), (0x0441, "c"), (0x0443, "y"), (0x0445, "x"),
            (0x0456, "i"), (0x0458, "j"), (0x0455, "s"), (0x04BB, "h"), (0x0501, "d"), (0x051B, "q"), (0x051D, "w"),
            (0x0410, "A"), (0x0412, "B"), (0x0415, "E"), (0x041A, "K"), (0x041C, "M"), (0x041D, "H"), (0x041E, "O"),
            (0x0420, "P"), (0x0421, "C"), (0x0422, "T"), (0x0425, "X"), (0x0406, "I"), (0x0408, "J"), (0x0405, "S"),
            (0x04AE, "Y"), (0x0417, "3"), (0x0431, "6"),
            // Greek
            (0x03B1, "a"), (0x03BF, "o"), (0x03C1, "p"), (0x03BD, "v"), (0x03B9, "i"), (0x03BA, "k"), (0x03C4, "t"),
            (0x0391, "A"), (0x0392, "B"), (0x0395, "E"), (0x0396, "Z"), (0x0397, "H"), (0x0399, "I"), (0x039A, "K"),
            (0x039C, "M"), (0x039D, "N"), (0x039F, "O"), (0x03A1, "P"), (0x03A4, "T"), (0x03A5, "Y"), (0x03A7, "X"),
        ]
        var map: [UInt32: Unicode.Scalar] = [:]
        for (code, latin) in pairs { map[code] = latin.unicodeScalars.first! }
        return map
    }()

    public static func fold(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        switch folding(c) {
        case .kept: return [c]
        case .dropped: return []
        case .one(let folded): return [folded]
        case .many(let folded): return folded
        }
    }

    /// What `fold` makes of a character, without an array for the common outcomes (the normaliser asks
    /// for every non-ASCII character).
    enum Folding {
        case kept, dropped
        case one(Unicode.Scalar)
        case many([Unicode.Scalar])
    }

    static func folding(_ c: Unicode.Scalar) -> Folding {
        // Every look-alike is Greek or Cyrillic: other characters skip the table.
        if c.value >= 0x0370, c.value < 0x0530, let latin = homoglyphs[c.value] { return .one(latin) }
        // Typographic punctuation that NFKC keeps: fold to ASCII so patterns see one form. (None of these is a
        // format character, so they are answered before any property is looked up.)
        switch c.value {
        case 0x2018, 0x2019, 0x02BC: return .one("'")
        case 0x201C, 0x201D: return .one("\"")
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0xFF0D: return .one("-")
        case 0x00A0, 0x2007, 0x202F: return .one(" ")
        // Full-width ASCII is NFKC-mapped to ASCII by a fixed offset: no string is built for it.
        case 0xFF01...0xFF5E: return .one(Unicode.Scalar(c.value - 0xFEE0)!)
        // Pictographs and emoji (with skin tones) have no compatibility mapping and none is a format character:
        // the commonest non-ASCII characters of social text skip both property look-ups.
        case 0x1F300...0x1F5FF, 0x1F600...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF: return .kept
        default: break
        }
        if CharClass.isFormat(c) { return .dropped }
        if !CharClass.changesWhenNFKCCaseFolded(c) { return .kept }
        let mapped = String(c).precomposedStringWithCompatibilityMapping.unicodeScalars
        if mapped.count == 1, let only = mapped.first {
            if let latin = homoglyphs[only.value] { return .one(latin) }
            return .one(only)
        }
        return .many(Array(mapped))
    }
}
