import ThreadGuardCore

/// Phone and fax numbers: NANP (10 digits, optional leading 1, any separators) and international
/// (+ country code, 8–15 digits), with extensions.
public struct PhoneRecognizer: Recognizer {
    public let name = "phone"
    public var needsDigits: Bool { true }
    public init() {}

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var i = 0
        while i < tokens.count {
            guard tokens[i].kind == .number || (tokens[i].is("+") || tokens[i].is("(")) else { i += 1; continue }
            let run = DigitRun.collect(from: i, in: tokens, chars: text.text.chars)
            guard run.digits.count >= 7 else { i = max(run.lastToken + 1, i + 1); continue }
            // Digits glued to letters ("RX7-2231-90817", "4471902B") are a code, not a number someone dials.
            if Self.gluedToLetters(run, tokens) { i = run.lastToken + 1; continue }
            if let valid = validate(run) ?? cuedInternational(run, text) {
                var steps = ["pattern \(valid): \(run.digits.count) digits with \(run.separators) separators"]
                // Ten bare digits could be any number: context-gated recognizers outrank them.
                var score = valid == "nanp" ? (run.groupSizes.count > 1 ? 0.85 : 0.6) : 0.75
                if let cue = text.contextBefore(run.firstToken, window: 4, phrases: Self.context) {
                    score = min(1, score + 0.1)
                    steps.append("context '\(cue)' +0.10")
                } else if let cue = text.contextBefore(run.firstToken, window: 3, phrases: Self.otherIDContext) {
                    // "Claim number 44-8821-0093": the record recognizers outrank a phone-shaped code.
                    score = 0.5
                    steps.append("after '\(cue)', an identifier of another kind: 0.50")
                }
                findings.append(text.finding(
                    .phone, tokens: run.firstDigitToken, run.lastToken, score: score, recognizer: name, subtype: valid,
                    explanation: steps))
            }
            i = run.lastToken + 1
        }
    }

    static func gluedToLetters(_ run: DigitRun, _ tokens: [Token]) -> Bool {
        let first = run.firstDigitToken, last = run.lastToken
        if first > 0, tokens[first].kind == .number, !tokens[first].spaceBefore, tokens[first - 1].kind == .word { return true }
        if last + 1 < tokens.count, !tokens[last + 1].spaceBefore, tokens[last + 1].kind == .word, !(tokens[last + 1].is("'s") || tokens[last + 1].is("x") || tokens[last + 1].is("ext") || tokens[last + 1].is("am") || tokens[last + 1].is("pm") || tokens[last + 1].is("th") || tokens[last + 1].is("st") || tokens[last + 1].is("nd") || tokens[last + 1].is("rd")) { return true }
        return false
    }

    /// Numbers of other countries' plans, written without a "+" ("Phone: 60-56-85-91", "call me on 0688 872 49 99"):
    /// 7 to 15 digits in two groups or more, right after a word that says a phone number follows. Ten digits not
    /// starting with 0 (or eleven after a 1) are North American and judged as such (a toll-free number stays a
    /// business's).
    func cuedInternational(_ run: DigitRun, _ text: AnalysedText) -> String? {
        let d = run.digits
        guard (7...15).contains(d.count), run.groupSizes.count >= 2, d.count != 10 || d.first == 0, !(d.count == 11 && d.first == 1),
              text.contextBefore(run.firstToken, window: 4, phrases: Self.context) != nil,
              text.contextBefore(run.firstToken, window: 3, phrases: Self.otherIDContext) == nil else { return nil }
        return "international"
    }

    func validate(_ run: DigitRun) -> String? {
        let d = run.digits
        if run.plus { return (8...15).contains(d.count) ? "international" : nil }
        var national = d[...]
        if d.count == 11, d.first == 1 { national = d.dropFirst() }
        guard national.count == 10 else {
            // 7-digit local numbers only with a separator in the usual place (867-5309).
            return d.count == 7 && run.separators >= 1 && run.groupSizes == [3, 4] ? "local" : nil
        }
        let area = Array(national.prefix(3)), exchange = Array(national.dropFirst(3).prefix(3))
        // Toll-free numbers belong to businesses, never to a person.
        if area[0] == 8, area[1] == area[2], [0, 3, 4, 5, 6, 7, 8].contains(area[1]) { return nil }
        let formatted = run.parenthesized && run.groupSizes.suffix(2) == [3, 4]
        guard (area[0] >= 2 && exchange[0] >= 2) || formatted else { return nil }
        // Mostly-one-digit runs are codes, not numbers people give.
        return Set(national).count >= 3 ? "nanp" : nil
    }

    static let otherIDContext = PhraseSet([
        "claim", "order", "account", "acct", "case", "member", "policy", "tracking", "serial", "invoice", "confirmation",
        "reference", "ticket", "rx", "mrn", "patient", "record", "chart", "lot", "license", "licence", "group", "medicaid",
        "medicare", "pedido", "cuenta", "expediente", "reclamo", "póliza",
    ])
    static let context = PhraseSet([
        "call", "text", "phone", "cell", "tel", "mobile", "fax", "number", "reach me", "reach her", "reach him",
        "whatsapp", "llamar", "llámame", "teléfono", "celular", "número", "call me on", "call me at", "móvil", "portable", "téléphone",
    ])
}

/// Digits spread over number tokens joined by phone-like separators.
struct DigitRun {
    var digits: [Int] = []
    var firstToken: Int
    var firstDigitToken: Int
    var lastToken: Int
    var separators = 0
    var plus = false
    var parenthesized = false
    var groupSizes: [Int] = []

    static func collect(from start: Int, in tokens: [Token], chars: [Unicode.Scalar]) -> DigitRun {
        var run = DigitRun(firstToken: start, firstDigitToken: start, lastToken: start)
        var i = start
        if tokens[i].is("+") {
            run.plus = true
            i += 1
        }
        var openParen = -1
        if i < tokens.count, tokens[i].is("(") { openParen = i; i += 1 }
        guard i < tokens.count, tokens[i].kind == .number else { return run }
        run.firstDigitToken = start < i && tokens[start].is("+") ? start : (openParen >= 0 ? openParen : i)
        run.parenthesized = openParen >= 0 && i + 1 < tokens.count && tokens[i + 1].is(")")
        var lastDigitToken = i
        while i < tokens.count {
            let token = tokens[i]
            if token.kind == .number {
                if !run.digits.isEmpty, token.spaceBefore { run.separators += 1 }
                run.groupSizes.append(token.length)
                for k in token.start..<token.end { run.digits.append(Int(chars[k].value) - 48) }
                lastDigitToken = i
                i += 1
                if run.digits.count > 15 { break }
                continue
            }
            // A separator: one of - . ( ) / and at most one of them between groups.
            if (token.is("-") || token.is(".") || token.is(")") || token.is("(") || token.is("/")), i + 1 < tokens.count {
                var next = i + 1
                if tokens[next].kind != .number, (tokens[next].is("(") || tokens[next].is(")") || tokens[next].is("-")), next + 1 < tokens.count { next += 1 }
                if tokens[next].kind == .number, !(token.is(".") && tokens[next].spaceBefore) {
                    run.separators += 1
                    i = next
                    continue
                }
            }
            break
        }
        run.lastToken = lastDigitToken
        return run
    }
}
