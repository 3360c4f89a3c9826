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
            #expect(token.id == (index.dictionary[token.lower] ?? -1), "\(token.lower)")
        }
        #expect(text.tokens.contains { $0.id >= 0 && $0.lower == "cardiologist" })
        #expect(text.tokens.contains { $0.id >= 0 && $0.lower == "husband" })
    }
}
