import ThreadGuardCore

/// The health-context step: finds health terms (conditions, symptoms, treatments, medications, devices, visits,
/// stays) and works out whose health each one is, within its sentence.
public struct HealthContext: Sendable {
    let terms: PhraseSet
    let relations: PhraseSet
    let groups: PhraseSet

    static let firstPerson: Set<String> = [
        "i", "my", "me", "mine", "myself", "i'm", "im", "i've", "ive", "i'd", "i'll", "mi", "mis", "me", "yo", "tengo",
        "estoy", "we", "our", "us", "ours", "nos", "nuestro", "nuestra",
    ]
    static let possessives: Set<String> = ["my", "our", "mi", "mis", "nuestra", "nuestro", "nuestros", "nuestras", "me"]

    public init(extraTerms: [String] = []) {
        terms = PhraseSet(Lexicon.builtIn("health_en") + Lexicon.builtIn("health_es") + extraTerms)
        relations = PhraseSet(Lexicon.builtIn("relatives"))
        groups = PhraseSet(["residents", "seniors", "senior citizens", "patients", "elderly", "folks", "ladies", "gentlemen", "veterans", "kids", "babies", "residentes", "pacientes", "abuelitos", "ancianos"])
    }

    public struct Mention: Sendable {
        public var first: Int
        public var last: Int
        public var term: String
        public var subject: HealthSubject
    }

    /// Every health term with the subject it is about.
    public func mentions(in text: AnalysedText, names: [Finding], facilities: [Finding]) -> [Mention] {
        let tokens = text.tokens
        guard !tokens.isEmpty else { return [] }
        // Sentence index of every token.
        var sentence = [Int](repeating: 0, count: tokens.count)
        var current = 0
        for (k, token) in tokens.enumerated() {
            if token.lineBefore && k > 0 { current += 1 }
            sentence[k] = current
            if [".", "!", "?", ";"].contains(token.lower), k + 1 < tokens.count, tokens[k + 1].spaceBefore { current += 1 }
        }
        // Per sentence: who is talked about.
        var relativeIn = Set<Int>(), selfIn = Set<Int>(), groupIn = Set<Int>(), nameIn = Set<Int>()
        for k in tokens.indices {
            let word = tokens[k].lower
            if Self.firstPerson.contains(word) { selfIn.insert(sentence[k]) }
            if Self.possessives.contains(word), k + 1 < tokens.count, relations.matchLength(at: k + 1, in: tokens) != nil {
                relativeIn.insert(sentence[k])
            }
            if relations.matchLength(at: k, in: tokens) != nil, k + 1 < tokens.count, tokens[k + 1].lower == "'s" {
                relativeIn.insert(sentence[k])
            }
            if groups.matchLength(at: k, in: tokens) != nil, !facilities.isEmpty { groupIn.insert(sentence[k]) }
        }
        let starts = tokens.map { text.text.originalRange($0.start, $0.end).lowerBound }
        for name in names {
            if let k = starts.firstIndex(where: { $0 >= name.start }) { nameIn.insert(sentence[k]) }
        }
        // A relative or named person introduced earlier stays the subject of "she/he/her/his" sentences.
        var carried: HealthSubject = .none
        var carriedBySentence: [Int: HealthSubject] = [:]
        for s in 0...current {
            if relativeIn.contains(s) { carried = .relative } else if nameIn.contains(s), carried == .none { carried = .namedPerson }
            carriedBySentence[s] = carried
        }
        var thirdPersonIn = Set<Int>()
        for k in tokens.indices where ["she", "he", "her", "his", "him", "ella", "él", "su", "le", "they", "them", "their"].contains(tokens[k].lower) {
            thirdPersonIn.insert(sentence[k])
        }
        var result: [Mention] = []
        var k = 0
        while k < tokens.count {
            guard let length = terms.matchLength(at: k, in: tokens) else { k += 1; continue }
            let s = sentence[k]
            let subject: HealthSubject
            if groupIn.contains(s) || (!facilities.isEmpty && groupIn.contains(where: { abs($0 - s) <= 1 })) {
                subject = .facilityResidents
            } else if relativeIn.contains(s) {
                subject = .relative
            } else if nameIn.contains(s) {
                subject = .namedPerson
            } else if thirdPersonIn.contains(s), let carriedSubject = carriedBySentence[s], carriedSubject != .none {
                subject = carriedSubject
            } else if selfIn.contains(s) {
                subject = .commenter
            } else {
                subject = .none
            }
            result.append(Mention(first: k, last: k + length - 1, term: tokens[k..<(k + length)].map(\.lower).joined(separator: " "), subject: subject))
            k += length
        }
        return result
    }
}
