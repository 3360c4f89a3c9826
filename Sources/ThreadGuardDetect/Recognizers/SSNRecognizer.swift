import ThreadGuardCore

/// US social security numbers: 3-2-4 digits with SSA validity rules (area not 000, 666 or 900–999, group not
/// 00, serial not 0000). Dashed forms stand alone; spaced, dotted or unseparated forms need a context word.
public struct SSNRecognizer: Recognizer {
    public let name = "ssn"
    public var needsDigits: Bool { true }
    static let context = PhraseSet(["ssn", "ss#", "ss #", "social", "social security", "social security number", "seguro social", "número de seguro social", "soc sec"])

    public init() {}

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i < tokens.count {
            guard tokens[i].kind == .number else { i += 1; continue }
            var groups: [Int] = [i]
            var separators: [String] = []
            var k = i + 1
            while groups.count < 3, k < tokens.count {
                let sep = tokens[k]
                if (sep.is("-") || sep.is(".")), k + 1 < tokens.count, tokens[k + 1].kind == .number {
                    separators.append(sep.is("-") ? "-" : ".")
                    groups.append(k + 1)
                    k += 2
                } else if sep.kind == .number, sep.spaceBefore {
                    separators.append(" ")
                    groups.append(k)
                    k += 1
                } else {
                    break
                }
            }
            let digits: String
            let last: Int
            if groups.count == 3, groups.map({ tokens[$0].length }) == [3, 2, 4] {
                digits = groups.map { text.lower(tokens[$0]) }.joined()
                last = groups[2]
            } else if tokens[i].length == 9 {
                digits = text.lower(tokens[i])
                last = i
                separators = []
            } else {
                i += 1
                continue
            }
            let cue = text.contextBefore(i, window: 6, phrases: Self.context)
            let dashed = separators == ["-", "-"]
            if Self.valid(digits), dashed || cue != nil {
                var steps = [dashed ? "pattern ddd-dd-dddd" : "pattern 9 digits in 3-2-4 groups", "SSA validity rules pass"]
                if let cue { steps.append("context '\(cue)' +0.10") }
                findings.append(text.finding(.ssn, tokens: i, last, score: cue != nil ? 0.95 : 0.85, recognizer: name, explanation: steps))
                i = last + 1
            } else {
                i += 1
            }
        }
    }

    static func valid(_ digits: String) -> Bool {
        guard digits.count == 9, let area = Int(digits.prefix(3)), let group = Int(digits.dropFirst(3).prefix(2)),
              let serial = Int(digits.suffix(4)) else { return false }
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }
}
