import ThreadGuardCore

/// People's names: capitalised words after a person cue (titles "Dr." "Nurse" "Mrs", relations "my aunt",
/// roles "receptionist", phrases "my name is", "thanks to"), a sign-off at the end of a comment, or a known
/// given name followed by a capitalised surname. Public figures, the brand's names and common words are not.
public struct NameRecognizer: Recognizer {
    public let name = "name"
    let lexicons: DetectLexicons
    let brandWords: PackedWordSet

    static let titles = WordSet([
        "dr", "doctor", "dra", "doc", "nurse", "mrs", "mr", "ms", "miss", "mx", "sr", "sra", "srta", "señora", "señor",
        "enfermera", "enfermero", "doctora", "prof", "professor", "pastor", "father", "sister", "brother", "nana",
        "grandpa", "grandma", "granny", "papa", "abuela", "abuelo", "aunt", "uncle", "auntie", "tía", "tío", "don", "doña",
    ])
    static let relations = WordSet([
        "mom", "mother", "mum", "dad", "father", "husband", "wife", "son", "daughter", "brother", "sister", "grandma",
        "grandmother", "grandpa", "grandfather", "aunt", "uncle", "friend", "partner", "boyfriend", "girlfriend", "nephew",
        "niece", "cousin", "neighbor", "neighbour", "mother-in-law", "father-in-law", "stepson", "stepdaughter", "stepmom",
        "stepdad", "fiancé", "fiance", "fiancée", "roommate", "caregiver", "esposo", "esposa", "mamá", "papá", "hijo",
        "hija", "hermano", "hermana", "abuela", "abuelo", "tía", "tío", "amigo", "amiga", "vecino", "vecina", "suegra",
        "suegro", "sobrino", "sobrina", "nieto", "nieta", "primo", "prima", "bisabuela", "bisabuelo", "twin", "baby",
        "grandson", "granddaughter", "grandchild", "grandkid", "grandbaby", "grandmom", "granddad", "stepfather",
        "stepmother", "stepbrother", "stepsister", "godmother", "godfather", "godson", "goddaughter", "hubby", "wifey",
        "fiancee", "bestie", "bff", "coworker", "co-worker", "colleague", "boss", "classmate", "child", "kid", "toddler",
        "teen", "teenager", "godchild", "padrastro", "madrastra", "cuñado", "cuñada", "yerno", "nuera", "compañero",
        "compañera", "novio", "novia", "padrino", "madrina", "ahijado", "ahijada", "bisnieto", "bisnieta",
    ])
    static let roles = WordSet([
        "receptionist", "pharmacist", "practitioner", "manager", "advocate", "driver", "therapist", "technician", "tech",
        "aide", "caseworker", "worker", "surgeon", "coordinator", "rep", "representative", "agent", "supervisor",
        "paramedic", "nurse", "doctor", "cardiologist", "oncologist", "physician", "dentist", "specialist", "counselor",
        "chaplain", "volunteer", "assistant", "scheduler", "clerk", "guard", "director", "administrator", "midwife",
        "doula", "dietitian", "named", "patient", "resident", "recepcionista", "farmacéutico", "técnico",
    ])
    static let phrases = PhraseSet([
        "my name is", "name is", "name was", "named", "called", "belongs to", "thanks to", "thank you to",
        "special thanks to", "shoutout to", "shout out to", "birthday to", "me llamo", "se llama", "mi nombre es",
        "gracias a", "agradecer a", "agradecer al", "ask for", "asked for", "spoke to", "spoke with", "talked to",
        "signed", "tag said", "rest in peace", "rip", "in memory of", "prayers for", "pray for", "oremos por",
    ])
    /// Cues that name someone working in care, not a patient.
    static let staffCues = WordSet([
        "dr", "doctor", "dra", "doc", "nurse", "enfermera", "enfermero", "doctora", "prof", "professor", "receptionist",
        "pharmacist", "practitioner", "manager", "advocate", "driver", "therapist", "technician", "tech", "aide",
        "caseworker", "worker", "surgeon", "coordinator", "rep", "representative", "agent", "supervisor", "paramedic",
        "cardiologist", "oncologist", "physician", "dentist", "specialist", "counselor", "chaplain", "volunteer",
        "assistant", "scheduler", "clerk", "guard", "director", "administrator", "midwife", "doula", "dietitian",
        "recepcionista", "farmacéutico", "técnico", "tag said", "spoke to", "spoke with", "talked to", "ask for", "asked for",
        "thanks to", "thank you to", "special thanks to", "shoutout to", "shout out to", "gracias a", "agradecer a", "agradecer al",
    ])
    /// A name after these is a public figure's ("your CEO Martin Greaves").
    static let publicRoles = WordSet(["ceo", "president", "founder", "spokesperson", "spokesman", "spokeswoman", "chairman", "chair", "governor", "senator", "mayor", "congressman", "congresswoman", "cfo", "coo", "cmo", "celebrity", "actor", "actress", "author", "presidente"])
    static let signoffs = PhraseSet(["thanks", "thank you", "thx", "gracias", "regards", "best", "cheers", "sincerely", "love", "bless you", "god bless"])
    static let notNames = WordSet([
        "i", "the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "it", "we", "they", "he", "she",
        "and", "or", "but", "so", "if", "at", "in", "on", "of", "to", "for", "with", "from", "by", "is", "was", "are",
        "yes", "no", "not", "please", "thanks", "thank", "hi", "hello", "hey", "dear", "ok", "okay", "lol", "omg",
        "god", "jesus", "lord", "mom", "dad", "mama", "papa", "er", "icu", "nicu", "ed", "st", "saint", "san", "santa",
        "who", "what", "when", "where", "why", "how", "after", "before", "today", "yesterday", "tomorrow", "tonight",
        "also", "just", "still", "again", "edit", "update", "ps", "re", "us", "you", "me", "all", "everyone", "team",
        "staff", "office", "appointment", "practitioner", "pharmacist", "receptionist", "nurse", "doctor", "dr",
        "la", "el", "los", "las", "de", "del", "y", "que", "por", "en", "con", "una", "un", "mi", "su", "muy",
    ])

    public init(lexicons: DetectLexicons, brandNames: [String]) {
        self.lexicons = lexicons
        brandWords = PackedWordSet(BrandProfile.words(of: brandNames))
    }

    /// Titles, roles and relations in one set: most tokens are none, and are passed over with one look-up.
    static let cueWords = titles.bits.union(roles.bits).union(relations.bits)

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        // The cue word sets, read once per text rather than through their lazy statics at every token.
        let (titles, cueWords) = (Self.titles, Self.cueWords)
        var covered = -1
        var i = 0
        while i < tokens.count {
            defer { i += 1 }
            guard i > covered else { continue }
            var start: Int?
            var cue = ""
            let shouting = tokens[i].length > 1 && tokens[i].upperCount == tokens[i].length
            let id = tokens[i].id
            if tokens[i].kind == .word, !shouting, cueWords.contains(id) {
                if i > 0, Self.publicRoles.contains(id: tokens[i - 1].id) { continue }
                var k = i + 1
                if k < tokens.count, tokens[k].is("."), !tokens[k].spaceBefore, titles.contains(id: id) { k += 1 }
                k = Self.skipInLaw(k, tokens)
                while k < tokens.count, tokens[k].kind == .word, !tokens[k].capitalized, Self.roles.contains(id: tokens[k].id) || Self.relations.contains(id: tokens[k].id) { k += 1 }
                if k < tokens.count, tokens[k].is("\"") || tokens[k].is("'") { k += 1 }
                start = k
                cue = text.lower(tokens[i])
            } else if let length = Self.phrases.matchLength(at: i, in: tokens) {
                var k = i + length
                if k < tokens.count, tokens[k].is(":") || tokens[k].is("\"") { k += 1 }
                start = k
                cue = text.phrase(i..<(i + length))
            }
            if let start, let (last, words) = nameWords(at: start, tokens, needsKnown: false), let relaxed = Optional(words) {
                // A lone word after a relation or role must look like a name (known, or capitalised mid-sentence).
                if relaxed == 1, Self.relations.contains(cue) || Self.roles.contains(cue), !looksLikeName(tokens[start]) { continue }
                if isPublicFigure(i, last, tokens) { continue }
                let staff = Self.staffCues.contains(cue)
                findings.append(text.finding(.name, tokens: start, last, score: 0.85, recognizer: name, subtype: staff ? "staff" : "person",
                                             explanation: ["cue '\(cue)' then \(words) capitalised word(s)"]))
                covered = last
                continue
            }
            // A known given name followed by a capitalised surname, anywhere.
            if tokens[i].kind == .word, tokens[i].capitalized, lexicons.givenNames.contains(tokens[i]), i + 1 < tokens.count,
               !(i > 0 && Self.publicRoles.contains(id: tokens[i - 1].id)),
               let (last, words) = nameWords(at: i, tokens, needsKnown: false), words >= 2,
               (i == 0 || !tokens[i - 1].is("st")), !isPublicFigure(i, last, tokens) {
                findings.append(text.finding(.name, tokens: i, last, score: 0.75, recognizer: name, explanation: ["given name followed by a capitalised surname"]))
                covered = last
                continue
            }
        }
        signOff(text, into: &findings, after: covered)
    }

    /// "brother-in-law": the tokens "-", "in", "-", "law" after a relation belong to it.
    static func skipInLaw(_ k: Int, _ tokens: [Token]) -> Int {
        guard k + 3 < tokens.count, tokens[k].is("-"), tokens[k + 1].is("in"), tokens[k + 2].is("-"),
              tokens[k + 3].is("law") || tokens[k + 3].is("laws") else { return k }
        return k + 4
    }

    /// 1–3 capitalised words (initials like "D." allowed) starting at `k`.
    func nameWords(at k: Int, _ tokens: [Token], needsKnown: Bool) -> (Int, Int)? {
        var last = -1
        var words = 0
        var j = k
        while j < tokens.count, words < 3 {
            let t = tokens[j]
            guard t.kind == .word, t.capitalized, !Self.notNames.contains(t), !brandWords.contains(t),
                  !lexicons.monthWords.contains(id: t.id) || words > 0, t.upperCount < max(2, t.length) || t.length == 1
            else { break }
            if j > k, t.spaceBefore == false, !tokens[j - 1].is("."), !tokens[j - 1].is("-") { break }
            words += 1
            last = j
            j += 1
            if j < tokens.count, tokens[j].is("."), t.length == 1 { j += 1 }  // an initial
            if j < tokens.count, tokens[j].is("-"), j + 1 < tokens.count, tokens[j + 1].capitalized, !tokens[j + 1].spaceBefore { j += 1 }
        }
        return words > 0 ? (last, words) : nil
    }

    /// An email address or phone-like number earlier in the comment.
    func contactDetailsBefore(_ index: Int, _ text: AnalysedText) -> Bool {
        let end = text.tokens[index].start
        return text.text.chars[0..<end].contains("@") || text.tokens[0..<index].contains { $0.kind == .number && $0.length >= 4 }
    }

    func looksLikeName(_ token: Token) -> Bool {
        lexicons.givenNames.contains(token) || lexicons.surnames.contains(token) || (token.capitalized && !token.lineBefore)
    }

    func isPublicFigure(_ first: Int, _ last: Int, _ tokens: [Token]) -> Bool {
        for k in max(0, first - 1)...last where lexicons.publicFigures.matchLength(at: k, in: tokens) != nil { return true }
        return false
    }

    /// "Thanks, Harold" / "— Mike" / "… to me. Teresa" closing the comment; after contact details, any two
    /// capitalised words standing alone at the end ("… at yahoo dot com. Gwen Albright").
    func signOff(_ text: AnalysedText, into findings: inout [Finding], after covered: Int) {
        signOff(text, into: &findings, after: covered, contactGiven: false)
    }

    public func signOff(_ text: AnalysedText, into findings: inout [Finding], after covered: Int, contactGiven: Bool) {
        let tokens = text.tokens
        var end = tokens.count - 1
        while end >= 0, tokens[end].kind != .word { end -= 1 }
        guard end >= 0, end > covered else { return }
        var start = end
        while start > 0, tokens[start - 1].kind == .word, tokens[start - 1].capitalized, end - start < 2, !tokens[start].lineBefore { start -= 1 }
        guard tokens[start].capitalized, let (last, words) = nameWords(at: start, tokens, needsKnown: false), last == end else { return }
        let before = start - 1
        let separated = before < 0 || tokens[start].lineBefore || (text.lower(tokens[before]) == "—" || tokens[before].is("-") || tokens[before].is(",") || tokens[before].is(".") || tokens[before].is("!") || tokens[before].is("~"))
        guard separated else { return }
        var cue: String?
        if before >= 0, (text.lower(tokens[before]) == "—" || tokens[before].is("-") || tokens[before].is("~")) { cue = "dash sign-off" }
        if before >= 1, tokens[before].is(","), let s = Self.signoffs.matchEnding(at: before - 1, in: text) { cue = s }
        if before >= 1, tokens[before].is("!") || tokens[before].is("."), let s = Self.signoffs.matchEnding(at: before - 1, in: text) { cue = s }
        if cue == nil, lexicons.givenNames.contains(tokens[start]), before >= 0, (tokens[before].is(".") || tokens[before].is("!")) || tokens[start].lineBefore { cue = "known given name closing the comment" }
        if cue == nil, words == 2, before >= 0, (tokens[before].is(".") || tokens[before].is("!")) || tokens[start].lineBefore, contactDetailsBefore(start, text) {
            cue = "two capitalised words closing a comment that gives contact details"
        }
        guard let cue, words <= 3, !isPublicFigure(start, last, tokens) else { return }
        findings.append(text.finding(.name, tokens: start, last, score: 0.8, recognizer: name, subtype: "signature", explanation: ["sign-off: \(cue)"]))
    }
}
