import ThreadGuardCore

/// Ages over 89: "she's 93", "(92)", "turned 98", "92 year old", "100th birthday", "94 años",
/// "noventa y nueve años". Measurements and money are not ages.
public struct AgeRecognizer: Recognizer {
    public let name = "age_90_plus"
    static let before = PhraseSet([
        "is", "she's", "he's", "i'm", "im", "i am", "am", "turned", "turns", "turning", "aged", "age", "age of", "at age",
        "tiene", "cumple", "cumplió", "de", "was", "now", "just turned",
    ])
    static let after = PhraseSet(["years old", "year old", "years", "yrs", "yo", "y/o", "y.o", "años", "year-old", "years-old", "anos"])
    static let units = WordSet(["mg", "lbs", "lb", "kg", "%", "degrees", "°", "days", "minutes", "mins", "pounds", "bpm", "mmhg", "ml", "units", "dollars", "cents", "hours", "pills"])
    /// `number(at:)` looks a word up here only when it starts with n, h or c: keep that true when adding words.
    static let tens: [String: Int] = ["ninety": 90, "noventa": 90, "hundred": 100, "cien": 100]
    static let ones: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    ]

    public init() {}

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i < tokens.count {
            guard let (value, last) = number(at: i, tokens, text), value >= 90, value <= 120 else { i += 1; continue }
            if i > 0, (tokens[i - 1].is("$") || tokens[i - 1].is("#") || tokens[i - 1].is("/") || tokens[i - 1].is(".") || tokens[i - 1].is(":") || tokens[i - 1].is("-")), !tokens[i].spaceBefore || tokens[i - 1].is("$") { i = last + 1; continue }
            if last + 1 < tokens.count, Self.units.contains(id: tokens[last + 1].id) { i = last + 1; continue }
            var cue: String?
            if let length = Self.after.matchLength(at: last + 1 < tokens.count ? last + 1 : last, in: tokens), last + 1 < tokens.count {
                cue = text.phrase((last + 1)..<(last + 1 + length))
            } else if last + 2 < tokens.count, tokens[last + 1].is("-"), Self.after.matchLength(at: last + 2, in: tokens) != nil {
                cue = "-year-old"
            } else if i > 0, tokens[i - 1].is("("), last + 1 < tokens.count, tokens[last + 1].is(")") {
                cue = "(age)"
            } else if let before = Self.before.matchEnding(at: max(i - 1, 0), in: text), i > 0 {
                cue = before
            } else if last + 2 < tokens.count, (tokens[last + 1].is("th") || tokens[last + 1].is("st") || tokens[last + 1].is("nd") || tokens[last + 1].is("rd")), ["birthday", "bday", "cumpleaños"].contains(text.lower(tokens[last + 2])) {
                findings.append(text.finding(.age90Plus, tokens: i, last + 1, score: 0.9, recognizer: name, explanation: ["ordinal birthday \(value)"]))
                i = last + 2
                continue
            }
            if let weak = cue, Self.weakCues.contains(weak), !personBefore(i, tokens) { cue = nil }
            if (max(0, i - 5)..<i).contains(where: { Self.measurements.contains(id: tokens[$0].id) }) { cue = nil }
            if let cue {
                findings.append(text.finding(.age90Plus, tokens: i, last, score: 0.88, recognizer: name,
                                             explanation: ["age \(value) with cue '\(cue)'"]))
            }
            i = last + 1
        }
    }

    static let weakCues = WordSet(["is", "was", "now", "de", "am", "at age", "age"])
    static let measurements = WordSet([
        "o2", "oxygen", "sat", "sats", "saturation", "spo2", "temp", "temperature", "bp", "pressure", "sugar", "glucose",
        "score", "pulse", "rate", "level", "levels", "a1c", "weight", "weighs", "heart", "hr", "fever", "reading",
        "battery", "percent", "iq", "grade", "page", "mph", "speed",
    ])
    static let people = WordSet([
        "she", "he", "i", "mom", "mother", "dad", "father", "grandma", "grandmother", "grandpa", "grandfather", "aunt",
        "uncle", "wife", "husband", "nana", "papa", "abuela", "abuelo", "mamá", "papá", "bisabuela", "bisabuelo",
        "neighbor", "patient", "resident", "friend", "tía", "tío", "who",
    ])

    func personBefore(_ i: Int, _ tokens: [Token]) -> Bool {
        (max(0, i - 5)..<i).contains { k in Self.people.contains(id: tokens[k].id) || (tokens[k].capitalized && k > 0 && tokens[k].kind == .word && !tokens[k].lineBefore && !tokens[k - 1].is(".")) }
    }

    /// A number in digits or words ("ninety-two", "noventa y nueve").
    func number(at i: Int, _ tokens: [Token], _ text: AnalysedText) -> (Int, Int)? {
        // A word must start like a tens word ("ninety", "noventa", "hundred", "cien") before its text is made.
        if tokens[i].kind == .number { return tokens[i].length <= 3 ? (tokens[i].smallNumber!, i) : nil }
        guard tokens[i].kind == .word, tokens[i].length >= 4, tokens[i].length <= 7 else { return nil }
        let first = text.text.lower[tokens[i].start]
        guard first == "n" || first == "h" || first == "c", let ten = Self.tens[text.lower(tokens[i])] else { return nil }
        var k = i + 1
        if k < tokens.count, (tokens[k].is("-") || tokens[k].is("y") || tokens[k].is("and")) { k += 1 }
        if k < tokens.count, let one = Self.ones[text.lower(tokens[k])] { return (ten + one, k) }
        return (ten, i)
    }
}
