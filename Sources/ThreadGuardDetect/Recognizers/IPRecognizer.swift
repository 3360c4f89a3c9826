import ThreadGuardCore

/// IPv4 dotted quads (each part 0–255) and IPv6 addresses (hex groups with ::, or eight groups).
public struct IPRecognizer: Recognizer {
    public let name = "ip"
    public var needsDigits: Bool { true }
    public init() {}

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i + 6 < tokens.count {
            if tokens[i].kind == .number, (i == 0 || (!tokens[i - 1].is(".") && !tokens[i - 1].is("/"))),
               (0..<4).allSatisfy({ tokens[i + 2 * $0].kind == .number && tokens[i + 2 * $0].length <= 3 && tokens[i + 2 * $0].smallNumber! <= 255 }),
               (0..<3).allSatisfy({ tokens[i + 2 * $0 + 1].is(".") && !tokens[i + 2 * $0 + 1].spaceBefore && !tokens[i + 2 * $0 + 2].spaceBefore }),
               !(i + 8 < tokens.count && tokens[i + 7].is(".") && tokens[i + 8].kind == .number && !tokens[i + 8].spaceBefore) {
                findings.append(text.finding(.ip, tokens: i, i + 6, score: 0.9, recognizer: name, subtype: "ipv4",
                                             explanation: ["pattern four dot-separated numbers 0-255"]))
                i += 7
                continue
            }
            i += 1
        }
        recognizeIPv6(text, into: &findings)
    }

    func recognizeIPv6(_ text: AnalysedText, into findings: inout [Finding]) {
        let chars = text.text.chars
        var colons = 0
        for c in chars where c == ":" { colons += 1 }
        guard colons >= 2 else { return }
        var i = 0
        while i < chars.count {
            guard Self.isHex(chars[i]) || chars[i] == ":", i == 0 || !(Self.isHex(chars[i - 1]) || chars[i - 1] == ":" || CharClass.isLetter(chars[i - 1])) else { i += 1; continue }
            var j = i
            while j < chars.count, Self.isHex(chars[j]) || chars[j] == ":" { j += 1 }
            if j < chars.count, CharClass.isLetter(chars[j]) { i = j; continue }
            let candidate = String(String.UnicodeScalarView(chars[i..<j]))
            if Self.isIPv6(candidate) {
                findings.append(text.finding(.ip, chars: i, j, score: 0.9, recognizer: name, subtype: "ipv6",
                                             explanation: ["pattern hex groups separated by colons"]))
            }
            i = j + 1
        }
    }

    static func isHex(_ c: Unicode.Scalar) -> Bool {
        CharClass.isDigit(c) || (c.value >= 97 && c.value <= 102) || (c.value >= 65 && c.value <= 70)
    }

    static func isIPv6(_ s: String) -> Bool {
        let colons = s.filter { $0 == ":" }.count
        guard colons >= 2, s.contains(where: \.isNumber) else { return false }
        let doubleColon = s.components(separatedBy: "::").count - 1
        guard doubleColon <= 1, doubleColon == 1 || colons == 7 else { return false }
        let groups = s.split(separator: ":", omittingEmptySubsequences: true)
        guard groups.count >= 2, groups.allSatisfy({ $0.count <= 4 }) else { return false }
        return !s.hasPrefix(":::") && !s.hasSuffix(":::")
    }
}
