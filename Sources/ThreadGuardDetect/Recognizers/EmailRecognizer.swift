import ThreadGuardCore

/// Email addresses, including ones the normaliser rebuilt from "name at gmail dot com".
public struct EmailRecognizer: Recognizer {
    public let name = "email"
    public init() {}

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let chars = text.text.chars
        var i = 0
        while i < chars.count {
            guard chars[i] == "@" else { i += 1; continue }
            var start = i
            while start > 0, Self.isLocal(chars[start - 1]) { start -= 1 }
            var end = i + 1
            var dots = 0
            while end < chars.count, Self.isDomain(chars[end]) {
                if chars[end] == "." { dots += 1 }
                end += 1
            }
            while end > i + 1, chars[end - 1] == "." || chars[end - 1] == "-" {
                if chars[end - 1] == "." { dots -= 1 }
                end -= 1
            }
            while start < i, chars[start] == "." { start += 1 }
            if start < i, dots >= 1, end - i > 3 {
                findings.append(text.finding(
                    .email, chars: start, end, score: 0.95, recognizer: name,
                    explanation: ["pattern local@domain.tld"]))
            }
            i = end
        }
    }

    static func isLocal(_ c: Unicode.Scalar) -> Bool {
        CharClass.isASCIILetter(c) || CharClass.isDigit(c) || c == "." || c == "_" || c == "%" || c == "+" || c == "-"
    }

    static func isDomain(_ c: Unicode.Scalar) -> Bool {
        CharClass.isASCIILetter(c) || CharClass.isDigit(c) || c == "." || c == "-"
    }
}
