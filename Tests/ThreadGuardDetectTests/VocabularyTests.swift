import Foundation
import Testing
@testable import ThreadGuardDetect

@Suite("vocabulary")
struct VocabularyTests {
    @Test("every word list is built before analysis: analysing text adds no word to the vocabulary")
    func complete() {
        let classifier = PHIClassifier(brand: testBrand)
        let before = Vocabulary.shared.count
        for text in ["My mom's MRN is 00123456, she's 93 and lives at Oak Manor", "SSN 512-38-7704, plate JFK 4471",
                     "Dr. Smith at St. Agnes Northside, room 12, born 04/17/1938", "call five five five oh one two three"] {
            _ = classifier.analyse(text)
        }
        #expect(Vocabulary.shared.count == before)
    }

    /// Tokens take their word numbers from the packed-key table: it must agree with the dictionary for every
    /// word a lexicon knows, and know no other.
    @Test("the packed-key index gives every known word its number and unknown words -1")
    func indexAgreesWithDictionary() {
        #expect(LexiconWarmUp.done)
        let index = Vocabulary.shared.snapshot()
        #expect(index.dictionary.count > 500)
        var packed = 0
        for (word, id) in index.dictionary {
            #expect(index.id(of: word) == id, "\(word)")
            if VocabularyIndex.key(word) != nil { packed += 1 }
        }
        #expect(packed > index.dictionary.count / 2)
        for unknown in ["zzqx", "qqqqqqqq", "qqqqqqqqq", "ñandúzz", "a1b2c3"] {
            #expect(index.id(of: unknown) == -1, "\(unknown)")
        }
    }

    @Test("tokens carry the same number whether their word is packed or looked up by text")
    func tokensUseTheIndex() {
        let text = AnalysedText("My husband's cardiologist at Mercy said the pacemaker was fine, gracias doctora")
        let index = Vocabulary.shared.snapshot()
        for token in text.tokens {
            #expect(token.id == (index.dictionary[text.lower(token)] ?? -1), "\(text.lower(token))")
        }
        #expect(text.tokens.contains { $0.id >= 0 && text.lower($0) == "cardiologist" })
        #expect(text.tokens.contains { $0.id >= 0 && text.lower($0) == "husband" })
    }

    /// Words of nine to sixteen letters are found in the second packed table, longer and non-ASCII ones by text.
    @Test("words of every length and script get the dictionary's number")
    func longWordsAgreeWithDictionary() {
        // The word lists must be built first: run alone (or first), the vocabulary would still be empty.
        #expect(LexiconWarmUp.done)
        let index = Vocabulary.shared.snapshot()
        let lengths = Dictionary(grouping: index.dictionary.keys, by: { min($0.unicodeScalars.count, 17) })
        #expect((9...12).allSatisfy { lengths[$0] != nil }, "the lexicons have words of every length from 9 to 12")
        for (word, id) in index.dictionary {
            #expect(index.id(long: ArraySlice(word.unicodeScalars)) { word } == id, "\(word)")
        }
        for unknown in ["qqqqqqqqqq", "cardiologistz", "cardiologis", "abcdefghijklmnop", "abcdefghijklmnopq", "cardiólogoz"] {
            #expect(index.id(long: ArraySlice(unknown.unicodeScalars)) { unknown } == -1, "\(unknown)")
        }
    }

    @Test("Token.is agrees with comparing the lower-cased text")
    func tokenIsAgreesWithText() {
        let text = AnalysedText("St. Brigid's ER, room 12: the (NEIGHBOUR) said 'Dr.' $5 — señor ok?! 01 the-end 00700 12345678 123456789")
        #expect(text.tokens.count > 20)
        for token in text.tokens {
            let lower = text.lower(token)
            #expect(token.is("st") == (lower == "st"))
            #expect(token.is("the") == (lower == "the"))
            #expect(token.is("'s") == (lower == "'s"))
            #expect(token.is(".") == (lower == "."))
            #expect(token.is("01") == (lower == "01"))
            #expect(token.is("neighbor") == (lower == "neighbor"))
            #expect(token.is("$") == (lower == "$"))
            if token.kind == .number {
                #expect(token.smallNumber == (token.length <= 8 ? Int(lower) : nil), "\(lower)")
            } else {
                #expect(token.smallNumber == nil)
            }
        }
        #expect(text.tokens.contains { $0.is("st") } && text.tokens.contains { $0.is("'s") } && text.tokens.contains { $0.is("$") })
        #expect(!text.tokens.contains { $0.is("neighbor") }, "'neighbour' is nine letters: never equal to an eight-letter word")
    }

    @Test("the health words' per-word roles agree with the lists they stand for")
    func healthRolesAgreeWithLists() {
        #expect(LexiconWarmUp.done)
        let words = HealthWords.shared
        let lists: [(WordSet, UInt8)] = [
            (words.firstPerson, HealthWords.Role.firstPerson), (words.pets, HealthWords.Role.pets),
            (words.thirdPerson, HealthWords.Role.thirdPerson), (words.generic, HealthWords.Role.generic),
            (words.sentenceEnds, HealthWords.Role.sentenceEnd), (words.clauseBreaks, HealthWords.Role.clauseBreak),
            (words.possessives, HealthWords.Role.possessive), (words.mineWords, HealthWords.Role.mine),
        ]
        var marked = 0
        for id in Vocabulary.shared.snapshot().dictionary.values {
            for (list, role) in lists {
                #expect((words.role(id) & role != 0) == list.contains(id: id), "word \(id), role \(role)")
                if words.role(id) & role != 0 { marked += 1 }
            }
        }
        #expect(marked > 40, "the lists hold some fifty words between them")
        #expect(words.role(-1) == 0)
    }

    @Test("a packed word set answers as a plain set of the same words, for tokens and strings")
    func packedWordSetAgreesWithSet() {
        let words = ["ann", "maría", "bartholomew", "li", "o'neil", "christopher", "zoe", "st.", "a"]
        let set = PackedWordSet(words)
        let plain = Set(words)
        let text = AnalysedText("Ann and MARÍA met Bartholomew, Li, O'Neil, Christopher and Zoey at St. Anne's: a zoe-like anne")
        for token in text.tokens {
            #expect(set.contains(token) == plain.contains(text.lower(token)), "\(text.lower(token))")
        }
        for word in words + ["an", "anne", "zoey", "bartholomews", "marí", ""] {
            #expect(set.contains(word) == plain.contains(word), "\(word)")
        }
    }
}

/// Lexicon files are read without NSString: the trimming must be Foundation's `.whitespaces` exactly.
@Suite("lexicon lines")
struct LexiconLineTests {
    @Test("a lexicon line is trimmed of exactly the characters Foundation's .whitespaces trims")
    func trimmingAgreesWithFoundation() {
        let alphabet: [Unicode.Scalar] = [" ", "\t", "\u{A0}", "\u{2003}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{301}",
                                          "\u{1680}", "\u{202F}", "a", "é", "-", "ñ", "#"]
        var generator = SplitMix(seed: 11)
        for _ in 0..<5_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 7) { scalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            let text = String(scalars)
            #expect(Lexicon.trimmingSpaces(Substring(text)) == text.trimmingCharacters(in: .whitespaces), "\(text.unicodeScalars.map(\.value))")
        }
        #expect(Lexicon.lines(" ann \n\t# a comment\n\u{A0}zoe # and another\n\n") == ["ann", "zoe"])
        // Every code point, alone between letters and at either end.
        var differing: [UInt32] = []
        for value in UInt32(0)..<0x11_0000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            if Lexicon.trimmingSpaces(Substring(text)) != text.trimmingCharacters(in: .whitespaces) { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10).map { String($0, radix: 16) })")
    }
}

/// Phrase sets find phrases through small hashed groups keyed by first (or last) word. Checked against a
/// plain search over the same phrases, on texts of words every lexicon already knows (so the test adds
/// nothing to the vocabulary while other tests run).
@Suite("phrase sets")
struct PhraseSetTests {
    @Test("longest phrase starting and ending at each token agrees with a plain search")
    func agreesWithPlainSearch() {
        // The word lists must be built first: run alone (or first), the vocabulary would still be empty.
        #expect(LexiconWarmUp.done)
        let known = Vocabulary.shared.snapshot().dictionary.keys.filter { $0.count >= 3 && $0.allSatisfy(\.isLetter) }.sorted()
        #expect(known.count > 200)
        var generator = SplitMix(seed: 7)
        let words = (0..<60).map { _ in known[Int(generator.next() % UInt64(known.count))] }
        let phrases = (0..<150).map { _ in (0..<(1 + Int(generator.next() % 3))).map { _ in words[Int(generator.next() % 20)] } }
        let set = PhraseSet(phrases.map { $0.joined(separator: " ") })
        var compared = 0
        for _ in 0..<300 {
            let text = (0..<12).map { _ in words[Int(generator.next() % 30)] }
            let analysed = AnalysedText(text.joined(separator: " "))
            let tokens = analysed.tokens
            // The normaliser rewrites some runs ("five five five …", "… at … dot com"): those texts are skipped.
            guard tokens.map({ analysed.lower($0) }) == text else { continue }
            compared += 1
            for k in text.indices {
                let starting = phrases.filter { k + $0.count <= text.count && Array(text[k..<(k + $0.count)]) == $0 }.map(\.count).max()
                #expect(set.matchLength(at: k, in: tokens) == starting)
                let ending = phrases.filter { k - $0.count + 1 >= 0 && Array(text[(k - $0.count + 1)...k]) == $0 }.max { $0.count < $1.count }
                #expect(set.matchEnding(at: k, in: analysed) == ending?.joined(separator: " "))
            }
        }
        #expect(compared > 200)
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
