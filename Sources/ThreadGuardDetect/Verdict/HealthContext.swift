import ThreadGuardCore

/// The health-context step: finds health terms and works out whose health each one is.
/// Three tiers: conditions, symptoms and treatments belong to whoever the sentence is about; devices
/// ("pump", "CPAP", the brand's products) only when someone's own ("my pump", "mom's CPAP", "I use"); care
/// settings ("doctor", "ICU", "appointment") only when tied to someone ("my doctor", "mom was in the ICU").
public struct HealthContext: Sendable {
    let strong: PhraseSet
    let devices: PhraseSet
    let care: PhraseSet
    let exclusions: PhraseSet
    let relations: PhraseSet
    let groups: PhraseSet
    let words: HealthWords
    /// The first words of the exclusions and of every tier: a token outside it starts no health term.
    let termStarts: WordBits

    public init(extraStrong: [String] = [], extraDevices: [String] = [], extraCare: [String] = []) {
        let careTerms = Lexicon.builtIn("care_en") + Lexicon.builtIn("care_es") + extraCare
        let deviceTerms = Lexicon.builtIn("devices_en") + Lexicon.builtIn("devices_es") + extraDevices
        let strongLines = Lexicon.builtIn("health_en") + Lexicon.builtIn("health_es") + Lexicon.builtIn("health_other") + extraStrong
        strong = Self.withPlurals(strongLines.filter { !$0.hasPrefix("!") })
        devices = Self.withPlurals(deviceTerms.filter { !$0.hasPrefix("!") })
        care = Self.withPlurals(careTerms.filter { !$0.hasPrefix("!") })
        exclusions = PhraseSet((strongLines + deviceTerms + careTerms).filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) })
        relations = Self.withPlurals(Lexicon.builtIn("relatives"))
        words = HealthWords.shared
        termStarts = exclusions.firstWords.union(strong.firstWords).union(devices.firstWords).union(care.firstWords)
        groups = PhraseSet(["residents", "seniors", "senior citizens", "patients", "elderly", "folks", "ladies", "gentlemen", "veterans", "residentes", "pacientes", "abuelitos", "ancianos"])
    }

    static func withPlurals(_ terms: [String]) -> PhraseSet {
        var all: [String] = []
        for term in terms {
            all.append(term)
            if !term.hasSuffix("s"), term.count > 3 { all.append(term + "s") }
        }
        return PhraseSet(all)
    }

    public enum Tier: String, Sendable { case strong, device, care }

    public struct Mention: Sendable {
        public var first: Int
        public var last: Int
        public var tier: Tier
        public var subject: HealthSubject
    }

    /// Sentence number of every token ("St." and "Dr." do not end a sentence), and clause number (clauses split
    /// sentences at , ; : and "but"), in one pass.
    func sentences(_ tokens: [Token]) -> (index: [Int], count: Int, clause: [Int], clauses: Int) {
        var sentence = [Int](repeating: 0, count: tokens.count)
        var clause = [Int](repeating: 0, count: tokens.count)
        var current = 0
        var clauseCount = 0
        for k in tokens.indices {
            if tokens[k].lineBefore && k > 0 { current += 1 }
            sentence[k] = current
            if k > 0, sentence[k] != sentence[k - 1] || words.role(tokens[k - 1].id) & HealthWords.Role.clauseBreak != 0 || tokens[k].is("but") {
                clauseCount += 1
            }
            clause[k] = clauseCount
            if words.role(tokens[k].id) & HealthWords.Role.sentenceEnd != 0, k + 1 < tokens.count, tokens[k + 1].spaceBefore {
                let period = tokens[k].is(".")
                if period, k > 0, words.abbreviations.contains(id: tokens[k - 1].id) || (tokens[k - 1].length == 1 && tokens[k - 1].kind == .word) {
                    continue
                }
                current += 1
            }
        }
        return (sentence, current + 1, clause, clauseCount + 1)
    }

    /// Every health term with the subject it is about. `people` are names of patients (not staff).
    public func mentions(in text: AnalysedText, people: [Finding]) -> [Mention] {
        let tokens = text.tokens
        // Mentions start only at a term's first word: most comments have none, and need no sentences or cues.
        guard tokens.contains(where: { termStarts.contains($0.id) }) else { return [] }
        // Clauses: a generic "someone" only speaks for its own clause.
        let (sentence, count, clause, clauses) = sentences(tokens)
        let sentences = count
        var selfIn = Marks(sentences), relativeIn = Marks(sentences), nameIn = Marks(sentences), petIn = Marks(sentences),
            thirdIn = Marks(sentences), genericIn = Marks(clauses)
        // "Mine was red for a month", "since my old one tore": the writer owns one of the devices talked about.
        var ownsOne = false
        for k in tokens.indices {
            let role = words.role(tokens[k].id)
            if role & HealthWords.Role.firstPerson != 0 { selfIn.insert(sentence[k]) }
            if role & HealthWords.Role.pets != 0 { petIn.insert(sentence[k]) }
            if role & HealthWords.Role.thirdPerson != 0 { thirdIn.insert(sentence[k]) }
            if role & HealthWords.Role.generic != 0 { genericIn.insert(clause[k]) }
            if isRelative(at: k, tokens) { relativeIn.insert(sentence[k]) }
            if !ownsOne, role & HealthWords.Role.mine != 0
                || (tokens[k].is("my") && k + 2 < tokens.count && words.oneAdjectives.contains(id: tokens[k + 1].id) && tokens[k + 2].is("one")) {
                ownsOne = true
            }
        }
        // Where each named person starts (a flag per token: looked up at every cue), found by binary search over the
        // tokens' original offsets, which rise with the tokens.
        var nameStarts: [Bool] = []
        if !people.isEmpty {
            nameStarts = [Bool](repeating: false, count: tokens.count)
            let starts = Self.originalStarts(text)
            for person in people {
                let low = Self.firstToken(atOrAfter: person.start, starts)
                if low < starts.count {
                    nameIn.insert(sentence[low])
                    nameStarts[low] = true
                }
            }
        }
        var backward = BackwardCues(count: tokens.count)
        // Who "she/he" refers to: the last relative or named person mentioned up to that sentence.
        var carried = [HealthSubject](repeating: .none, count: count)
        var last: HealthSubject = .none
        for s in 0..<count {
            if relativeIn.contains(s) { last = .relative } else if nameIn.contains(s) { last = .namedPerson }
            carried[s] = last
        }
        let anySelf = !selfIn.isEmpty
        func sentenceSubject(_ s: Int) -> HealthSubject {
            if petIn.contains(s) { return .none }
            if relativeIn.contains(s) { return .relative }
            if nameIn.contains(s) { return .namedPerson }
            if thirdIn.contains(s), carried[s] != .none { return carried[s] }
            if selfIn.contains(s) { return .commenter }
            return .none
        }
        var result: [Mention] = []
        var k = 0
        while k < tokens.count {
            guard termStarts.contains(tokens[k].id) else { k += 1; continue }
            if let skip = exclusions.matchLength(at: k, in: tokens) { k += skip; continue }
            let s = sentence[k]
            if let length = strong.matchLength(at: k, in: tokens) {
                var subject = nearestSubject(k, tokens, sentence, carried, nameStarts: nameStarts, pets: petIn.contains(s), backward: &backward)
                    ?? sentenceSubject(s)
                if subject == .none, !petIn.contains(s), !genericIn.contains(clause[k]) {
                    // Carry over from the comment: a relative talked about, else the commenter.
                    subject = carried[s] != .none && thirdIn.contains(s) ? carried[s] : (anySelf ? .commenter : .none)
                }
                result.append(Mention(first: k, last: k + length - 1, tier: .strong, subject: subject))
                k += length
            } else if let length = devices.matchLength(at: k, in: tokens) {
                var subject = petIn.contains(s) ? .none : owner(of: k, tokens, sentence, carried, allowUse: true)
                if subject == .none, relativeIn.contains(s), !petIn.contains(s) { subject = .relative }
                if subject == .none, !petIn.contains(s), ownsOne || (!genericIn.contains(clause[k]) && implicitOwnUse(k, length, tokens, sentence, hasSelf: anySelf)) {
                    subject = .commenter
                }
                result.append(Mention(first: k, last: k + length - 1, tier: .device, subject: subject))
                k += length
            } else if let length = care.matchLength(at: k, in: tokens) {
                result.append(Mention(first: k, last: k + length - 1, tier: .care, subject: careSubject(k, tokens, sentence, carried, sentenceSubject(s))))
                k += length
            } else {
                k += 1
            }
        }
        return result
    }

    /// "I'm 93 and moved into Oak Manor": the commenter speaks of their own stay in the sentence of one of the places.
    /// One pass over the tokens whatever the number of places (a comment naming a place thousands of times stays linear).
    public func firstPersonNear(_ places: [Finding], in text: AnalysedText) -> Bool {
        guard !places.isEmpty else { return false }
        let tokens = text.tokens
        let sentence = sentences(tokens).index
        var selfSentences = Set<Int>()
        for k in tokens.indices where words.selfSubjects.contains(id: tokens[k].id) { selfSentences.insert(sentence[k]) }
        guard !selfSentences.isEmpty else { return false }
        let starts = Self.originalStarts(text)
        for place in places {
            let low = Self.firstToken(atOrAfter: place.start, starts)
            if low < starts.count, selfSentences.contains(sentence[low]) { return true }
        }
        return false
    }

    /// Each token's first original offset (they rise with the tokens).
    static func originalStarts(_ text: AnalysedText) -> [Int] {
        text.tokens.map { text.text.originalRange($0.start, $0.end).lowerBound }
    }

    /// The first token starting at or after `offset`, by binary search (`starts.count` when none).
    static func firstToken(atOrAfter offset: Int, _ starts: [Int]) -> Int {
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] >= offset { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Who the comment talks about at all: residents of a place, relatives, named people, the commenter.
    public func personCues(in text: AnalysedText, people: [Finding]) -> Set<HealthSubject> {
        let tokens = text.tokens
        var cues = Set<HealthSubject>()
        for k in tokens.indices {
            if groups.matchLength(at: k, in: tokens) != nil { cues.insert(.facilityResidents) }
            if isRelative(at: k, tokens) { cues.insert(.relative) }
            if words.selfMentions.contains(id: tokens[k].id) { cues.insert(.commenter) }
        }
        if !people.isEmpty { cues.insert(.namedPerson) }
        return cues
    }

    /// The person cue nearest before a term in its sentence ("my husband says I stopped snoring" → the
    /// commenter), else the nearest after it.
    /// The scan back is remembered in `backward`: each token is looked at once per comment however many terms follow
    /// it in one long sentence.
    func nearestSubject(_ k: Int, _ tokens: [Token], _ sentence: [Int], _ carried: [HealthSubject], nameStarts: [Bool], pets: Bool,
                        backward: inout BackwardCues) -> HealthSubject? {
        if pets { return nil }
        let s = sentence[k]
        func cue(at j: Int) -> HealthSubject? {
            let word = tokens[j].id
            if isRelative(at: j, tokens) { return .relative }
            if j > 0, words.postPossessives.contains(id: word), relations.matchLength(at: j - 1, in: tokens) != nil { return .relative }
            if !nameStarts.isEmpty, nameStarts[j] { return .namedPerson }
            if words.selfCues.contains(id: word) { return .commenter }
            if words.thirdPerson.contains(id: word), carried[s] != .none { return carried[s] }
            return nil
        }
        // A possessive belongs to the relative that follows it: "my husband" is found at "my".
        if k > 0, sentence[k - 1] == s, let at = backward.nearest(before: k, sentence: sentence, isCue: { cue(at: $0) != nil }) {
            return cue(at: at)
        }
        var j = k + 1
        while j < tokens.count, sentence[j] == s, j - k <= 8 {
            if let found = cue(at: j) { return found }
            j += 1
        }
        return nil
    }

    /// "my mom", "mom's", "my 4 year old", "nanay ko".
    func isRelative(at k: Int, _ tokens: [Token]) -> Bool {
        if words.role(tokens[k].id) & HealthWords.Role.possessive != 0, k + 1 < tokens.count {
            if relations.matchLength(at: k + 1, in: tokens) != nil { return true }
            if tokens[k + 1].kind == .number, k + 3 < tokens.count, words.ageUnits.contains(id: tokens[k + 2].id) { return true }
            if k + 2 < tokens.count, tokens[k + 1].kind == .word, relations.matchLength(at: k + 2, in: tokens) != nil, !tokens[k + 1].capitalized { return true }
        }
        if relations.matchLength(at: k, in: tokens) != nil, k + 1 < tokens.count, tokens[k + 1].is("'s") || words.postPossessives.contains(id: tokens[k + 1].id) { return true }
        return false
    }

    /// Whose a device is: a possessive just before it, "mine", or the commenter using it.
    func owner(of k: Int, _ tokens: [Token], _ sentence: [Int], _ carried: [HealthSubject], allowUse: Bool) -> HealthSubject {
        let from = max(0, k - 2)
        for j in stride(from: k - 1, through: from, by: -1) {
            let word = tokens[j].id
            if j < k - 1, words.ownerStops.contains(id: tokens[j + 1].id) { break }
            if tokens[j].is("'s"), j > 0, relations.matchLength(at: j - 1, in: tokens) != nil { return .relative }
            if words.possessives.contains(id: word), isRelative(at: j, tokens) { return .relative }
            if words.ownPossessives.contains(id: word) { return .commenter }
            if words.thirdPossessives.contains(id: word) { return carried[sentence[k]] }
            if words.pets.contains(id: word) { return .none }
        }
        guard allowUse else { return .none }
        // "cadence shocked me", "the mask gave me a rash": the device acting on the commenter.
        if k + 1 < tokens.count, let j = (k + 1...min(tokens.count - 1, k + 3)).first(where: { words.objectSelf.contains(id: tokens[$0].id) }) {
            return isRelative(at: j, tokens) ? .relative : .commenter
        }
        // "I use the RestEasy", "been on CPAP", "with my pump".
        let s = sentence[k]
        let window = max(0, k - 6)..<k
        let usesIt = window.contains { words.useVerbs.contains(id: tokens[$0].id) }
        let selfNear = window.contains { words.firstPerson.contains(id: tokens[$0].id) }
        if usesIt && selfNear { return .commenter }
        if usesIt, window.contains(where: { isRelative(at: $0, tokens) }) { return .relative }
        _ = s
        return .none
    }

    /// The writer's own device without a possessive: "pacemaker ko", "been on the Zephyr for 3 years",
    /// "six months with a pacemaker", or "mine" / "my old one" elsewhere in the comment.
    func implicitOwnUse(_ k: Int, _ length: Int, _ tokens: [Token], _ sentence: [Int], hasSelf: Bool) -> Bool {
        let after = k + length
        if after < tokens.count, words.postPossessives.contains(id: tokens[after].id) { return true }
        // A stretch of time spent on or with the device, next to it.
        let usedWith = (max(0, k - 2)..<k).contains { words.usePrepositions.contains(id: tokens[$0].id) }
        for j in max(1, k - 5)..<min(tokens.count, after + 5) where words.durations.contains(id: tokens[j].id) {
            guard tokens[j - 1].kind == .number || words.counts.contains(id: tokens[j - 1].id) else { continue }
            let durationThenWith = j + 1 < tokens.count && words.usePrepositions.contains(id: tokens[j + 1].id) && j < k
            if usedWith || durationThenWith { return true }
        }
        return false
    }

    /// A care setting tied to someone: possessed ("my doctor", "mom's ICU stay") or a stay/visit with a person in
    /// the sentence ("my mom was in the ICU").
    func careSubject(_ k: Int, _ tokens: [Token], _ sentence: [Int], _ carried: [HealthSubject], _ sentenceSubject: HealthSubject) -> HealthSubject {
        let possessed = owner(of: k, tokens, sentence, carried, allowUse: false)
        if possessed != .none || words.staff.contains(id: tokens[k].id) { return possessed }
        if sentenceSubject == .relative { return .relative }
        if k >= 2, words.placeBefore.contains(id: tokens[k - 2].id) || words.placeRightBefore.contains(id: tokens[k - 1].id) {
            return sentenceSubject
        }
        return .none
    }
}

/// For each token, the nearest token at or before it in its sentence that is a person cue (or none), filled in as
/// scans ask: a scan back stops at the first token already known and records its answer for every token it passed.
struct BackwardCues {
    /// -2: not known yet; -1: no cue back to the sentence's start; else the cue's index. Allocated at the first scan.
    private var known: [Int32] = []
    private let size: Int

    init(count: Int) { size = count }

    mutating func nearest(before k: Int, sentence: [Int], isCue: (Int) -> Bool) -> Int? {
        if known.isEmpty { known = [Int32](repeating: -2, count: size) }
        let s = sentence[k - 1]
        var j = k - 1
        var visited: [Int] = []
        var answer: Int32 = -1
        while j >= 0, sentence[j] == s {
            if known[j] != -2 {
                answer = known[j]
                break
            }
            if isCue(j) {
                answer = Int32(j)
                break
            }
            visited.append(j)
            j -= 1
        }
        for v in visited { known[v] = answer }
        if j >= 0, sentence[j] == s, known[j] == -2 { known[j] = answer }
        return answer >= 0 ? Int(answer) : nil
    }
}

/// Which sentences (or clauses) of a text something was seen in: bits of one integer for up to 64 of them
/// (nearly every comment), else one flag per number. A `Set<Int>` hashed on every look-up, and an array costs
/// an allocation per mark kind per comment.
struct Marks {
    private let count: Int
    private var small: UInt64 = 0
    private var large: [Bool] = []
    private(set) var isEmpty = true

    init(_ count: Int) {
        self.count = count
        if count > 64 { large = [Bool](repeating: false, count: count) }
    }

    mutating func insert(_ n: Int) {
        precondition(n >= 0 && n < count, "mark \(n) outside 0..<\(count)")
        if count <= 64 { small |= 1 << UInt64(n) } else { large[n] = true }
        isEmpty = false
    }

    func contains(_ n: Int) -> Bool {
        guard n >= 0, n < count else { return false }
        return count <= 64 ? small & (1 << UInt64(n)) != 0 : large[n]
    }
}
