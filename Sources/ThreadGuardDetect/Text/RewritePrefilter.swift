/// Whether any of the normaliser's rewriting passes could change a text, decided in one scan of its characters
/// without splitting it into pieces. Each condition is one its pass cannot do without, so a text that meets none
/// is left as folded; most comments meet none:
/// - spelled numbers: two items of a run (digits of up to four, or number words), only separators between them,
///   at least one of them spelled;
/// - obfuscated addresses: an at-word ("at", "arroba"), and something an address can end in: two labels joined by
///   "." or "-", a dot-word ("dot", "punto", "point") or a mail provider's name;
/// - spread-out characters: three single digits, or a bracketed dot ("[.]", "(.)").
enum RewritePrefilter {
    static func mayRewrite(_ chars: [Unicode.Scalar]) -> Bool {
        let digitWords = SpelledNumbers.packedDigits, weakZero = SpelledNumbers.packedWeakZero, dashWords = SpelledNumbers.packedDash
        let atWords = ObfuscatedEmail.packedAt, dotWords = ObfuscatedEmail.packedDot, providers = ObfuscatedEmail.packedProviders
        var singleDigits = 0
        // The run of number items so far (only separators since its last item): nil when there is none, else
        // whether it has a spelled item.
        var run: Bool?
        var atWord = false, addressEnd = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if CharClass.isDigit(c) {
                let start = i
                while i < chars.count, CharClass.isDigit(chars[i]) { i += 1 }
                let length = i - start
                if length == 1 { singleDigits += 1 }
                if singleDigits >= 3 { return true }
                if length <= 4 {
                    if run == true { return true }
                    run = run ?? false
                } else {
                    run = nil
                }
            } else if CharClass.isLetter(c) {
                // Packed as `Piece.scan` packs a run of letters.
                let start = i
                let (end, ascii, key) = Piece.letterRun(chars, from: start)
                i = end
                let length = i - start
                if !ascii {
                    // Could be "guión" (a separator), or lower-case to a provider's name.
                    addressEnd = true
                } else if length > 8 {
                    run = nil
                    if isLongProvider(chars, start..<i) { addressEnd = true }
                } else {
                    if length >= 3, length <= 6, SpelledNumbers.digit(packed: key, in: digitWords) != nil {
                        if run != nil { return true }
                        run = true
                    } else if weakZero.contains(key) {
                        // "oh" is a zero only after a digit.
                        if run != nil { return true }
                    } else if !dashWords.contains(key) {
                        run = nil
                    }
                    if length <= 6, atWords.contains(key) { atWord = true }
                    if length <= 6, dotWords.contains(key) { addressEnd = true }
                    if providers.contains(key) { addressEnd = true }
                }
            } else if CharClass.isSpace(c) {
                i += 1
            } else {
                if (c == "[" || c == "("), i + 2 < chars.count, chars[i + 1] == ".", chars[i + 2] == (c == "[" ? "]" : ")") { return true }
                let separator = c == "," || c == "-" || c == "." || c == "(" || c == ")"
                if !separator { run = nil }
                if c == "." || c == "-", i > 0, i + 1 < chars.count, isLabel(chars[i - 1]), isLabel(chars[i + 1]) { addressEnd = true }
                i += 1
            }
        }
        return atWord && addressEnd
    }

    /// Whether a run of ASCII letters is, lower-cased, a provider's name too long to pack ("ProtonMail").
    static func isLongProvider(_ chars: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        ObfuscatedEmail.longProviders.contains { name in
            name.count == range.count && zip(name, range).allSatisfy { byte, i in UInt32(byte) == chars[i].value | 0x20 }
        }
    }

    @inline(__always) static func isLabel(_ c: Unicode.Scalar) -> Bool { CharClass.isDigit(c) || CharClass.isLetter(c) }
}
