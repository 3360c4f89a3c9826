import ThreadGuardCore

/// Dates tied to a person's birth or a health event: numeric (04/17/1938, 2-11-1947, 11/2), written in English
/// or Spanish ("February 9th", "Feb 27", "3 de mayo de 1956", "15 de julio"), and day ordinals ("the 12th",
/// "Sunday the 4th") near an event word. Months alone, years alone and weekdays are not dates here.
public struct DateRecognizer: Recognizer {
    public let name = "date"
    public var needsDigits: Bool { true }
    static let birthCue = PhraseSet(["dob", "d.o.b", "born", "birthday", "birth date", "date of birth", "birthdate", "nacimiento", "fecha de nacimiento", "nacida", "nacido", "nació", "cumpleaños"])
    static let eventCue = PhraseSet([
        "surgery", "surgeries", "operation", "operated", "procedure", "admitted", "admission", "discharged", "discharge",
        "died", "passed", "passed away", "death", "implanted", "implant", "visit", "appointment", "appt", "check",
        "checkup", "diagnosed", "diagnosis", "fell", "fall", "stroke", "attack", "seizure", "hospital", "er", "icu",
        "nicu", "picu", "transferred", "scheduled", "cita", "cirugía", "operaron", "alta", "murió", "falleció",
        "biopsy", "scan", "mri", "test", "labs", "results", "delivered", "delivery", "induced", "episode", "bypass",
        "replacement", "caught", "burn", "burned", "fire", "syncope", "incision", "since", "started", "got",
        "put in", "dialysis", "chemo", "infusion", "vaccine", "shot", "dose", "clinic", "moved", "moved in", "moved into",
        "intubated", "pneumonia", "hospice", "surgery's",
    ])
    public static let weekdays = WordSet(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"])
    static let ordinalSuffixes = WordSet(["st", "nd", "rd", "th"])

    let monthWords: WordSet

    public init(months: [String: Int]) {
        monthWords = WordSet(Array(months.keys))
    }

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i < tokens.count {
            if let (last, form) = match(at: i, tokens) {
                let first = Self.extendBack(i, tokens)
                let birth = text.contextBefore(first, window: 6, phrases: Self.birthCue)
                let event = birth == nil ? eventNear(first, last, text) : nil
                let needsEvent = form != "full_numeric"
                if birth != nil || event != nil || !needsEvent {
                    var steps = ["form \(form)"]
                    if let birth { steps.append("birth context '\(birth)'") }
                    if let event { steps.append("event context '\(event)'") }
                    findings.append(text.finding(
                        .date, tokens: first, last, score: birth != nil ? 0.95 : (event != nil ? 0.85 : 0.7), recognizer: name,
                        subtype: birth != nil ? "date_of_birth" : "health_event", explanation: steps))
                }
                i = last + 1
                continue
            }
            i += 1
        }
    }

    /// The first token of a date that starts at token `i`, with a weekday (and its comma) or "the" before it taken in:
    /// "Sunday the 4th", "Tuesday, Feb 11", "martes 11 de febrero".
    public static func extendBack(_ i: Int, _ tokens: [Token]) -> Int {
        if i >= 1, tokens[i - 1].is("the") || tokens[i - 1].is("el") || tokens[i - 1].is("le"), !tokens[i].is("the") { return extendBack(i - 1, tokens) }
        if i >= 1, weekdays.contains(id: tokens[i - 1].id) { return i - 1 }
        if i >= 2, tokens[i - 1].is(","), weekdays.contains(id: tokens[i - 2].id) { return i - 2 }
        return i
    }

    func eventNear(_ first: Int, _ last: Int, _ text: AnalysedText) -> String? {
        let tokens = text.tokens
        let from = max(0, first - 12), to = min(tokens.count - 1, last + 8)
        for k in from...to where k < first || k > last {
            if tokens[k].is(".") && k < first && first - k > 1 && !tokens[k].spaceBefore && k + 1 < tokens.count && tokens[k + 1].spaceBefore {
                continue
            }
            if let length = Self.eventCue.matchLength(at: k, in: tokens) {
                return text.phrase(k..<(k + length))
            }
        }
        return nil
    }

    func isDay(at k: Int, _ tokens: [Token]) -> Bool {
        tokens[k].kind == .number && tokens[k].length <= 2 && (tokens[k].smallNumber.map { $0 >= 1 && $0 <= 31 } ?? false)
    }

    func isYear(at k: Int, _ tokens: [Token]) -> Bool {
        tokens[k].kind == .number && (tokens[k].length == 4 ? (tokens[k].smallNumber.map { $0 >= 1900 && $0 <= 2100 } ?? false) : tokens[k].length == 2)
    }

    /// Day number with an optional ordinal suffix: returns the index of its last token.
    func day(at k: Int, _ tokens: [Token]) -> Int? {
        guard k < tokens.count, isDay(at: k, tokens) else { return nil }
        if k + 1 < tokens.count, !tokens[k + 1].spaceBefore, Self.ordinalSuffixes.contains(id: tokens[k + 1].id) { return k + 1 }
        return k
    }

    func isMonth(at k: Int, _ tokens: [Token]) -> Bool {
        guard tokens[k].kind == .word, monthWords.contains(id: tokens[k].id) else { return false }
        // "may" and "mar" are words too: only capitalised.
        if (tokens[k].is("may") || tokens[k].is("mar") || tokens[k].is("jun") || tokens[k].is("dec") || tokens[k].is("sept")) { return tokens[k].capitalized }
        return true
    }

    func match(at i: Int, _ tokens: [Token]) -> (last: Int, form: String)? {
        // Numeric m/d[/y]
        if tokens[i].kind == .number, tokens[i].length <= 2, i + 2 < tokens.count, (tokens[i + 1].is("/") || tokens[i + 1].is("-") || tokens[i + 1].is(".")),
           !tokens[i + 1].spaceBefore, !tokens[i + 2].spaceBefore, tokens[i + 2].kind == .number, tokens[i + 2].length <= 2,
           (i == 0 || !(tokens[i - 1].is("$") || tokens[i - 1].is("/") || tokens[i - 1].is("-") || tokens[i - 1].is(".") || tokens[i - 1].is(":")) || tokens[i].spaceBefore) {
            let a = tokens[i].smallNumber!, b = tokens[i + 2].smallNumber!
            guard (1...12).contains(a) && (1...31).contains(b) || (1...31).contains(a) && (1...12).contains(b) else { return nil }
            // The separator is "/", "-" or ".": its packed key is its text.
            let sep = tokens[i + 1].key
            if i + 4 < tokens.count, tokens[i + 3].key == sep, !tokens[i + 3].spaceBefore, !tokens[i + 4].spaceBefore, isYear(at: i + 4, tokens) {
                if i + 5 < tokens.count, (tokens[i + 5].is("/") || tokens[i + 5].is("-") || tokens[i + 5].is(".")), !tokens[i + 5].spaceBefore,
                   i + 6 < tokens.count, tokens[i + 6].kind == .number, !tokens[i + 6].spaceBefore { return nil }
                return (i + 4, "full_numeric")
            }
            if i + 3 < tokens.count, (tokens[i + 3].is("/") || tokens[i + 3].is("-") || tokens[i + 3].is(".") || tokens[i + 3].is("%")), !tokens[i + 3].spaceBefore { return nil }
            if b == 10, a <= 10 { return nil }  // a rating: "10/10 would recommend"
            return tokens[i + 1].is("/") ? (i + 2, "month_day") : nil
        }
        // Month day[, year]
        if isMonth(at: i, tokens), let dayEnd = day(at: i + 1, tokens) {
            if dayEnd + 1 < tokens.count, tokens[dayEnd + 1].kind == .number, tokens[dayEnd + 1].length <= 2, !tokens[dayEnd + 1].spaceBefore { return nil }
            var last = dayEnd
            var k = dayEnd + 1
            if k < tokens.count, tokens[k].is(",") { k += 1 }
            if k < tokens.count, tokens[k].kind == .number, tokens[k].length == 4, isYear(at: k, tokens) { last = k }
            return (last, last == dayEnd ? "written" : "written_with_year")
        }
        // day [de] Month [de year]
        if let dayEnd = day(at: i, tokens), dayEnd + 1 < tokens.count {
            var k = dayEnd + 1
            if tokens[k].is("de") || tokens[k].is("of") { k += 1 }
            if k < tokens.count, isMonth(at: k, tokens) {
                var last = k
                var y = k + 1
                if y < tokens.count, tokens[y].is("de") || tokens[y].is(",") { y += 1 }
                if y < tokens.count, tokens[y].kind == .number, tokens[y].length == 4, isYear(at: y, tokens) { last = y }
                return (last, last == k ? "written" : "written_with_year")
            }
        }
        // the 12th (of June)
        if tokens[i].is("the") || tokens[i].is("el"), let dayEnd = day(at: i + 1, tokens), dayEnd > i + 1 {
            if let (last, form) = match(at: i + 1, tokens), last > dayEnd { return (last, form) }
            return (dayEnd, "ordinal_day")
        }
        // ISO: 1988-05-09, 1988/05/09
        if isYear(at: i, tokens), tokens[i].length == 4, i + 4 < tokens.count, tokens[i + 1].is("-") || tokens[i + 1].is("/"),
           tokens[i + 3].key == tokens[i + 1].key, (i + 1...i + 4).allSatisfy({ !tokens[$0].spaceBefore }),
           tokens[i + 2].kind == .number, tokens[i + 2].length <= 2, (tokens[i + 2].smallNumber.map { (1...12).contains($0) } ?? false),
           isDay(at: i + 4, tokens),
           i + 5 >= tokens.count || tokens[i + 5].spaceBefore || !(tokens[i + 5].is("-") || tokens[i + 5].is("/") || tokens[i + 5].kind == .number || tokens[i + 5].kind == .word) {
            return (i + 4, "full_numeric")
        }
        return nil
    }
}
