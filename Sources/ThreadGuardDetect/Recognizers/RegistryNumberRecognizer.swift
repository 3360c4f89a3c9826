import ThreadGuardCore

/// Numbers whose check digits make them safe to find without context: NPI (10 digits, Luhn over the 80840
/// prefix) near "NPI", DEA registrations (2 letters, 7 digits, DEA checksum), professional licence
/// prefixes followed by a number ("RN 3381095", "RPH 0551902"), and GS1 UDI device identifiers ("(01)" +
/// GTIN-14 with its check digit).
public struct RegistryNumberRecognizer: Recognizer {
    public let name = "registry_number"
    public var needsDigits: Bool { true }
    static let professions = WordSet(["rn", "lpn", "lvn", "rph", "aprn", "cnp", "np", "pa", "md", "do", "cna", "crna", "dds", "dpm", "pt", "ot"])
    static let npiContext = PhraseSet(["npi", "npi number", "npi #"])

    public init() {}

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        for (i, token) in tokens.enumerated() {
            // NPI with Luhn.
            if token.kind == .number, token.length == 10, Self.npiValid(text.lower(token)),
               text.contextBefore(i, window: 4, phrases: Self.npiContext) != nil {
                findings.append(text.finding(.licenseID, tokens: i, i, score: 0.95, recognizer: name, subtype: "npi",
                                             explanation: ["10 digits, Luhn check over 80840 prefix passes", "context 'npi'"]))
            }
            // DEA: two letters + seven digits, as one word+number pair.
            if token.kind == .word, token.length == 2, token.upperCount == 2, i + 1 < tokens.count, tokens[i + 1].kind == .number,
               !tokens[i + 1].spaceBefore, tokens[i + 1].length == 7, Self.deaValid(text.lower(tokens[i + 1])) {
                findings.append(text.finding(.licenseID, tokens: i, i + 1, score: 0.93, recognizer: name, subtype: "dea",
                                             explanation: ["DEA registration: 2 letters, 7 digits, checksum passes"]))
            }
            // Professional licence prefix + number.
            if token.kind == .word, token.upperCount == token.length, Self.professions.contains(token), i + 1 < tokens.count,
               tokens[i + 1].kind == .number, tokens[i + 1].length >= 5, (i == 0 || !tokens[i - 1].is("-")) {
                findings.append(text.finding(.licenseID, tokens: i, i + 1, score: 0.8, recognizer: name, subtype: "professional_license",
                                             explanation: ["professional title '\(text.lower(token).uppercased())' followed by a number"]))
            }
            // GS1 UDI: (01) + 14 digits with a valid check digit.
            if token.is("("), i + 3 < tokens.count, tokens[i + 1].is("01"), tokens[i + 2].is(")"),
               tokens[i + 3].kind == .number, tokens[i + 3].length >= 14 {
                let gtin = String(text.lower(tokens[i + 3]).prefix(14))
                if Self.gs1Valid(gtin) {
                    var last = i + 3
                    while last + 3 < tokens.count, tokens[last + 1].is("("), tokens[last + 2].kind == .number, tokens[last + 3].is(")"),
                          last + 4 < tokens.count, !tokens[last + 1].spaceBefore { last += 4 }
                    findings.append(text.finding(.deviceID, tokens: i, last, score: 0.95, recognizer: name, subtype: "udi",
                                                 explanation: ["GS1 UDI: (01) GTIN-14, check digit passes"]))
                }
            }
        }
    }

    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    static func npiValid(_ s: String) -> Bool {
        let digits = s.compactMap(\.wholeNumberValue)
        return digits.count == 10 && (digits[0] == 1 || digits[0] == 2) && luhn([8, 0, 8, 4, 0] + digits)
    }

    static func deaValid(_ s: String) -> Bool {
        let d = s.compactMap(\.wholeNumberValue)
        guard d.count == 7 else { return false }
        let check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return check == d[6]
    }

    static func gs1Valid(_ s: String) -> Bool {
        let d = s.compactMap(\.wholeNumberValue)
        guard d.count == 14 else { return false }
        var sum = 0
        for (index, digit) in d.dropLast().enumerated() { sum += digit * (index % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10 == d[13]
    }
}
