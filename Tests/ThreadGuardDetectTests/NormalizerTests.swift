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

    @Test("code-point offsets survive emoji and accents before a finding")
    func offsets() {
        let text = "😀😀 café call 555-867-5309"
        let analysis = PHIClassifier().analyse(text)
        let phone = analysis.findings.first { $0.type == .phone }
        #expect(phone?.start == 13)
        #expect(phone?.end == 25)
    }
}
