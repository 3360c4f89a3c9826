import Testing
@testable import ThreadGuardDetect

@Suite("text normalisation")
struct NormalizerTests {
    @Test("invisible characters are removed and offsets still point at the original", arguments: [
        "555\u{200B}-867-5309", "555-8\u{FEFF}67-5309", "5\u{00AD}55-867-5309", "555-867\u{2060}-5309",
    ])
    func invisibles(_ text: String) {
        #expect(found(PhoneRecognizer(), in: text) == [text])
    }

    @Test("fullwidth digits and Cyrillic look-alikes are folded")
    func folding() {
        let normalized = TextNormalizer().normalize("５５５ МRN Сhart")
        #expect(String(String.UnicodeScalarView(normalized.chars)) == "555 MRN Chart")
        #expect(normalized.originalRange(4, 7) == 4..<7)
    }

    @Test("spelled and spread-out numbers become digits", arguments: [
        ("five five five, zero one four four", "555 0144"), ("6 one 4 - 5 5 5 - 0 one 8 9", "614 - 555 - 0189"),
        ("0.0.7.7.2.1.9.4.5", "007721945"), ("S B 0 0 7 1 4 4 8 2", "SB00714482"), ("one of my two kids", "one of my two kids"),
        ("I a m fine", "I a m fine"), ("x. Y z 1 2", "x. Y z 1 2"),
    ])
    func numbers(_ text: String, _ expected: String) {
        let normalized = TextNormalizer().normalize(text)
        #expect(String(String.UnicodeScalarView(normalized.chars)) == expected)
    }

    @Test("obfuscated emails are rebuilt and map back to the whole original")
    func emails() {
        let text = "mail gwen dot albright at yahoo dot com."
        let normalized = TextNormalizer().normalize(text)
        #expect(String(String.UnicodeScalarView(normalized.chars)) == "mail gwen.albright@yahoo.com.")
        #expect(normalized.originalRange(5, 27) == 5..<38)
    }

    /// Most comments skip the rewriting passes (`RewritePrefilter`): on texts built from the words and marks the passes
    /// look for, skipping must give exactly what running every pass gives.
    @Test("skipping the rewriting passes changes nothing they would have changed")
    func prefilterIsExact() {
        let parts = ["at", "AT", "arroba", "(at)", "[at]", "dot", "punto", "(.)", "[.]", "(", "[", ")", ".", "five", "Oh",
                     "one", "nine", "cinco", "dos", "guión", "1", "2", "45", "617", "555", "-", "dash", "gmail", "com", "net",
                     "mom", "S", "B", "0", "7", " ", ",", "/", "é", "😀", "１２", "st.", "oh", "o", "hyphen", "point", "live",
                     "protonmail", "ProtonMail", "protonmaiI", "protonmails", "my-clinic", "x.y", "Ｇｍａｉｌ", "OUTLOOK", "four-one", "12", "1234", "12345"]
        var generator = SplitMix(seed: 3)
        var rewritten = 0
        for n in 0..<6000 {
            let words = (0..<(2 + Int(generator.next() % 14))).map { _ in parts[Int(generator.next() % UInt64(parts.count))] }
            let text = words.joined(separator: n % 3 == 0 ? "" : " ")
            let skipping = TextNormalizer().normalize(text), full = TextNormalizer().normalize(text, prefilter: false)
            #expect(skipping.chars == full.chars && skipping.sourceStart == full.sourceStart && skipping.sourceEnd == full.sourceEnd, "\(text)")
            if full.chars != TextNormalizer().foldCharacters(Array(text.unicodeScalars)).chars { rewritten += 1 }
        }
        #expect(rewritten > 100, "some texts are rewritten by the passes, so both paths are exercised")
    }
}

/// Character classes read a table of Unicode's properties for most scalars: it must give what the properties give.
@Suite("character classes")
struct CharClassTests {
    @Test("the table-backed classes agree with Unicode's properties for every code point")
    func agreeWithProperties() {
        var differing: [UInt32] = []
        for value in UInt32(128)..<0x11_0000 {
            guard let c = Unicode.Scalar(value) else { continue }
            let p = c.properties
            let lower = p.changesWhenLowercased && p.lowercaseMapping.unicodeScalars.count == 1 ? p.lowercaseMapping.unicodeScalars.first! : c
            if CharClass.isLetter(c) != p.isAlphabetic || CharClass.isUpper(c) != p.isUppercase || CharClass.isSpace(c) != p.isWhitespace
                || CharClass.lowercase(c) != lower || CharClass.changesWhenCaseFolded(c) != p.changesWhenCaseFolded
                || CharClass.isFormat(c) != (p.generalCategory == .format) || CharClass.changesWhenNFKCCaseFolded(c) != p.changesWhenNFKCCaseFolded {
                differing.append(value)
            }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10).map { String($0, radix: 16) })")
    }
}
