import ThreadGuardCore

/// Vehicle identification numbers: 17 characters without I, O, Q, whose ninth character is the check digit.
public struct VINRecognizer: Recognizer {
    public let name = "vin"
    public var needsDigits: Bool { true }
    public init() {}

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let chars = text.text.chars
        var i = 0
        while i + 17 <= chars.count {
            // Only a run of exactly 17 letters and digits can be a VIN.
            var runEnd = i
            while runEnd < chars.count, CharClass.isASCIILetter(chars[runEnd]) || CharClass.isDigit(chars[runEnd]) { runEnd += 1 }
            if runEnd - i != 17 || (i > 0 && (CharClass.isLetter(chars[i - 1]) || CharClass.isDigit(chars[i - 1]))) {
                i = max(runEnd, i + 1)
                continue
            }
            let candidate = chars[i..<(i + 17)].map { CharClass.isASCIILetter($0) ? Unicode.Scalar($0.value & ~0x20)! : $0 }
            let ends = i + 17 == chars.count || !(CharClass.isLetter(chars[i + 17]) || CharClass.isDigit(chars[i + 17]))
            let lower = text.text.lower
            let cue = (max(0, i - 6)..<max(0, i - 2)).contains { k in lower[k] == "v" && lower[k + 1] == "i" && lower[k + 2] == "n" }
            if ends, candidate.allSatisfy({ CharClass.isDigit($0) || (CharClass.isASCIILetter($0) && !"IOQ".unicodeScalars.contains($0)) }),
               candidate.contains(where: CharClass.isASCIILetter), cue || Self.checkDigitValid(candidate) {
                let why = Self.checkDigitValid(candidate) ? "17 characters, check digit valid" : "17 VIN characters after 'VIN' (check digit does not match)"
                findings.append(text.finding(.vehicleID, chars: i, i + 17, score: 0.95, recognizer: name, subtype: "vin",
                                             explanation: [why]))
                i += 17
            } else {
                i += 1
            }
        }
    }

    static func value(_ c: Unicode.Scalar) -> Int {
        if CharClass.isDigit(c) { return Int(c.value) - 48 }
        let table: [Character: Int] = [
            "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8, "J": 1, "K": 2, "L": 3, "M": 4, "N": 5,
            "P": 7, "R": 9, "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
        ]
        return table[Character(c)] ?? 0
    }

    static let weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

    static func checkDigitValid(_ vin: [Unicode.Scalar]) -> Bool {
        let sum = zip(vin, weights).reduce(0) { $0 + value($1.0) * $1.1 }
        let remainder = sum % 11
        let expected: Unicode.Scalar = remainder == 10 ? "X" : Unicode.Scalar(UInt8(48 + remainder))
        return vin[8] == expected
    }
}
