import ThreadGuardCore

/// Medicare Beneficiary Identifiers by their character rules: 11 characters, C A AN N A AN N A A N N
/// (C = 1–9, N = 0–9, A = letters other than S L O I B Z), optionally dashed 4-3-4.
public struct MBIRecognizer: Recognizer {
    public let name = "medicare_mbi"
    public var needsDigits: Bool { true }
    public init() {}

    static let letters = Set("ACDEFGHJKMNPQRTUVWXY".unicodeScalars)

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let chars = text.text.chars
        var i = 0
        while i < chars.count {
            // An MBI starts with a digit 1-9 followed by a letter, at a word start.
            guard i + 10 < chars.count, CharClass.isDigit(chars[i]), chars[i] != "0", CharClass.isASCIILetter(chars[i + 1]) else { i += 1; continue }
            if i > 0, CharClass.isLetter(chars[i - 1]) || CharClass.isDigit(chars[i - 1]) { i += 1; continue }
            var code: [Unicode.Scalar] = []
            var j = i
            while j < chars.count, code.count < 11 {
                let c = chars[j]
                if CharClass.isDigit(c) || CharClass.isASCIILetter(c) {
                    code.append(Unicode.Scalar(CharClass.lowercase(c).value - (CharClass.isASCIILetter(c) ? 32 : 0))!)
                } else if c == "-", code.count == 4 || code.count == 7 {
                    // allowed
                } else {
                    break
                }
                j += 1
            }
            let ends = j >= chars.count || !(CharClass.isLetter(chars[j]) || CharClass.isDigit(chars[j]))
            if code.count == 11, ends, Self.valid(code) {
                findings.append(text.finding(.healthPlanID, chars: i, j, score: 0.92, recognizer: name, subtype: "medicare_mbi",
                                             explanation: ["Medicare MBI character rules C A AN N A AN N A A N N"]))
                i = j
            } else {
                i += 1
            }
        }
    }

    static func valid(_ c: [Unicode.Scalar]) -> Bool {
        func n(_ k: Int) -> Bool { CharClass.isDigit(c[k]) }
        func a(_ k: Int) -> Bool { letters.contains(c[k]) }
        func an(_ k: Int) -> Bool { n(k) || a(k) }
        return n(0) && c[0] != "0" && a(1) && an(2) && n(3) && a(4) && an(5) && n(6) && a(7) && a(8) && n(9) && n(10)
    }
}
