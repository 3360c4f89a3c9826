import ThreadGuardCore

/// An identifier that is only an identifier because of the words before it ("MRN 00123456", "order #A1234-77"):
/// a context phrase, then within a few filler words a code with enough digits. Codes listed right after it
/// ("INV-7702, INV-7731 and INV-7760") are the same kind. One declared instance per type, each in its own file.
public struct ContextualIDRecognizer: Recognizer {
    public let name: String
    public var needsDigits: Bool { true }
    public let type: FindingType
    public let context: PhraseSet
    public let minDigits: Int
    public let baseScore: Double
    /// Unknown lower-case words allowed between the context and the code ("reference number for the denial is").
    public let looseWords: Int
    /// The code must hold at least one letter (licence plates).
    public let needsLetters: Bool
    /// Letters and digits together, at least.
    public let minLength: Int

    public init(name: String, type: FindingType, context: [String], minDigits: Int = 4, baseScore: Double = 0.85, looseWords: Int = 3, needsLetters: Bool = false, minLength: Int = 0) {
        self.needsLetters = needsLetters
        self.minLength = minLength
        self.name = name
        self.type = type
        self.context = PhraseSet(context)
        self.minDigits = minDigits
        self.baseScore = baseScore
        self.looseWords = looseWords
    }

    static let fillers = WordSet([
        "#", ":", "-", "is", "was", "are", "number", "numbers", "no", "num", "nr", "nbr", "id", "=", "of", "the", "my",
        "her", "his", "their", "our", "your", "on", "es", "el", "la", "número", "numero", "num.", ".", "n", "º", "°",
        "(", ")", ",", "\"", "'", "it's", "its", "#:", "mi", "su", "de", "del", "number's", "card", "a", "an",
    ])

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i < tokens.count {
            guard let length = context.matchLength(at: i, in: tokens) else { i += 1; continue }
            let cue = text.phrase(i..<(i + length))
            var j = i + length
            var loose = 0
            var found: CodeScanner.Code?
            while j < tokens.count, j - (i + length) < 8 {
                if tokens[j].lineBefore && j > i + length { break }
                if let code = CodeScanner.scan(at: j, in: tokens, text), code.digits >= minDigits, !needsLetters || code.letters > 0, code.length >= minLength {
                    found = code
                    break
                }
                if Self.fillers.contains(id: tokens[j].id) {
                    j += 1
                    continue
                }
                if tokens[j].kind == .word, !tokens[j].capitalized, loose < looseWords {
                    loose += 1
                    j += 1
                    continue
                }
                break
            }
            guard var code = found else { i += length; continue }
            findings.append(text.finding(
                type, tokens: code.first, code.last, score: baseScore - 0.05 * Double(loose), recognizer: name,
                explanation: ["context '\(cue)'" + (loose > 0 ? " and \(loose) word(s)" : "") + " then a code of \(code.digits) digits, base \(baseScore)"]))
            // A list of further codes: ", X", " and X", " y X".
            while let next = listContinuation(after: code, in: tokens, text) {
                findings.append(text.finding(
                    type, tokens: next.first, next.last, score: baseScore - 0.05, recognizer: name,
                    explanation: ["listed after a '\(cue)' code"]))
                code = next
            }
            i = code.last + 1
        }
    }

    func listContinuation(after code: CodeScanner.Code, in tokens: [Token], _ text: AnalysedText) -> CodeScanner.Code? {
        var k = code.last + 1
        guard k < tokens.count else { return nil }
        if tokens[k].is(",") { k += 1 }
        if k < tokens.count, (tokens[k].is("and") || tokens[k].is("y") || tokens[k].is("or") || tokens[k].is("&")) { k += 1 }
        guard k > code.last + 1, let next = CodeScanner.scan(at: k, in: tokens, text), next.digits >= minDigits else { return nil }
        // Same shape: both start with letters or both with digits.
        guard (tokens[next.first].kind == .word) == (tokens[code.first].kind == .word) else { return nil }
        return next
    }
}
