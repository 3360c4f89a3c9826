import ThreadGuardCore

/// Places smaller than a state tied to someone: named care facilities ("Mossy Hills Home"), hospital sites and
/// their wards ("St. Brigid Northside", "Northside cardiology", "4 West", "room 12"), street addresses,
/// cities of residence ("lives alone in Parma Heights") and ZIP codes. The brand's own name alone is not one.
public struct LocationRecognizer: Recognizer {
    public let name = "location"
    let lexicons: DetectLexicons
    let brandWords: PackedWordSet
    let brandNames: PhraseSet
    let words = PlaceWords.shared
    /// Words a match can start at that are neither numbers nor capitalised: room words, and the first words of
    /// residence cues and place prepositions.
    let plainStarts: WordBits

    public init(lexicons: DetectLexicons, brandNames: [String]) {
        self.lexicons = lexicons
        self.brandNames = PhraseSet(brandNames)
        brandWords = PackedWordSet(BrandProfile.words(of: brandNames))
        plainStarts = words.roomWords.bits.union(words.residenceCues.firstWords).union(words.placePrepositions.firstWords)
    }

    /// Whether `match(at:)` can find anything at `i`: most tokens are lower-case words no match starts at, and
    /// are passed over with two look-ups instead of `match`'s six.
    @inline(__always) func mayStart(at i: Int, _ tokens: [Token]) -> Bool {
        let t = tokens[i]
        if t.kind == .number || t.capitalized || plainStarts.contains(t.id) || t.is("st") || t.is("saint") { return true }
        // A site name before an upper-case department: "riverside ER".
        return i + 1 < tokens.count && lexicons.departments.firstWords.contains(tokens[i + 1].id)
    }

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let tokens = text.tokens
        var covered = -1
        var i = 0
        // Whether anyone's care is talked about anywhere in the comment: found once, when a candidate first asks.
        var care: Bool?
        while i < tokens.count {
            if i > covered, mayStart(at: i, tokens), let (first, last, subtype, why) = match(at: i, tokens, text, care: &care),
               !isBrandName(first, last, tokens) {
                findings.append(text.finding(.location, tokens: first, last, score: subtype == "street_address" ? 0.9 : 0.8,
                                             recognizer: name, subtype: subtype, explanation: [why]))
                covered = last
                i = last + 1
                // A city (and ZIP) right after an address or facility: ", Grove City 43123", " in Zanesville".
                if let (cityFirst, cityLast) = cityAfter(last, tokens) {
                    findings.append(text.finding(.location, tokens: cityFirst, cityLast, score: 0.75, recognizer: name, subtype: "city",
                                                 explanation: ["city after an address or facility"]))
                    covered = cityLast
                    i = cityLast + 1
                    if let zip = zipAfter(cityLast, tokens) {
                        findings.append(text.finding(.location, tokens: zip, zip, score: 0.8, recognizer: name, subtype: "zip", explanation: ["ZIP after a city"]))
                        covered = zip
                        i = zip + 1
                    }
                }
                continue
            }
            i += 1
        }
    }

    @inline(__always) func isPlaceWord(_ t: Token) -> Bool {
        t.kind == .word && t.capitalized && t.length >= 2 && !words.notPlaces.contains(t) && !lexicons.monthWords.contains(t)
    }

    /// `isPlaceWord` of the token at `k`, tested by vocabulary number.
    func isPlaceWord(at k: Int, _ tokens: [Token]) -> Bool {
        tokens[k].kind == .word && tokens[k].capitalized && tokens[k].length >= 2 && !words.notPlaces.contains(id: tokens[k].id)
            && !lexicons.monthWords.contains(id: tokens[k].id)
    }

    /// A capitalised word that can sit inside a place name: a place word, a facility word or a street word.
    func isNamePart(_ t: Token, _ tokens: [Token], at k: Int) -> Bool {
        isPlaceWord(t) || (t.kind == .word && t.capitalized && (lexicons.streetSuffixes.contains(t) || lexicons.facilityHeads.matchLength(at: k, in: tokens) != nil))
    }

    /// Capitalised words from `k` (up to 4), allowing "St." and "'s" and "of".
    func capitalRun(_ k: Int, _ tokens: [Token]) -> Int? {
        var j = k
        var last: Int?
        var words = 0
        while j < tokens.count, words < 5 {
            let t = tokens[j]
            if (words == 0 ? isPlaceWord(t) : isNamePart(t, tokens, at: j)) || (words > 0 && t.is("'s")) {
                last = j
                if !t.is("'s") { words += 1 }
                j += 1
                if j < tokens.count, tokens[j].is("."), t.is("st"), !tokens[j].spaceBefore { j += 1 }
                continue
            }
            if words > 0, t.is("of"), j + 1 < tokens.count, isPlaceWord(at: j + 1, tokens) { j += 1; continue }
            break
        }
        return last
    }

    func match(at i: Int, _ tokens: [Token], _ text: AnalysedText, care: inout Bool?) -> (Int, Int, String, String)? {
        // Street address: number + capitalised words + suffix.
        if tokens[i].kind == .number, tokens[i].length <= 5, let run = capitalRun(i + 1, tokens), !tokens[i + 1].lineBefore {
            var suffixAt = -1
            for k in (i + 1)...run where lexicons.streetSuffixes.contains(tokens[k]) { suffixAt = k }
            if suffixAt > i + 1 {
                var last = suffixAt
                if last + 1 < tokens.count, tokens[last + 1].is("."), !tokens[last + 1].spaceBefore, tokens[last].length <= 4 { last += 0 }
                return (i, last, "street_address", "number, street name and the street word '\(text.lower(tokens[suffixAt]))'")
            }
        }
        // Ward: "4 West".
        if tokens[i].kind == .number, tokens[i].length <= 2, i + 1 < tokens.count, words.wardDirections.contains(id: tokens[i + 1].id), tokens[i + 1].capitalized {
            var last = i + 1
            if last + 2 < tokens.count, tokens[last + 1].is("at"), let site = siteRun(last + 2, tokens) { last = site }
            return (i, last, "ward", "ward number and wing")
        }
        // Room / bed number.
        if words.roomWords.contains(tokens[i]), i + 1 < tokens.count, tokens[i + 1].kind == .number, tokens[i + 1].length <= 4,
           !(i + 2 < tokens.count && (tokens[i + 2].is(":") || tokens[i + 2].is(".")) && i + 3 < tokens.count && tokens[i + 3].kind == .number && !tokens[i + 3].spaceBefore) {
            return (i, i + 1, "room", "room or bed number")
        }
        // Named facility: capitalised words + facility word.
        if isPlaceWord(at: i, tokens) || tokens[i].is("st"), let run = capitalRun(i, tokens) {
            for k in stride(from: run, through: i + 1, by: -1) {
                if let length = lexicons.facilityHeads.matchLength(at: k, in: tokens), tokens[k].capitalized, k + length - 1 <= run + 2 {
                    let last = k + length - 1
                    let nameWords = (i..<k).filter { isPlaceWord(at: $0, tokens) && !brandWords.contains(tokens[$0]) }.count
                    if nameWords > 0 || tokens[i].is("st") {
                        return (i, last, "facility", "capitalised name before the facility word '\(text.lower(tokens[k]))'")
                    }
                }
            }
        }
        // Saint-named site with a further name: "St. Brigid Northside", "St. Brigid urgent care".
        if tokens[i].is("st") || tokens[i].is("saint"), let site = siteRun(i, tokens), careInComment(tokens, memo: &care) {
            return (i, site, "site", "a named site beyond the brand name, in a comment about someone's care")
        }
        // A site followed by a department: "Northside cardiology", "riverside ER", "Northside St. Brigid pharmacy".
        if tokens[i].kind == .word, tokens[i].length >= 4, i + 1 < tokens.count, !words.siteStop.contains(tokens[i]), !words.notPlaces.contains(tokens[i]),
           tokens[i + 1].is("st") || lexicons.departments.matchLength(at: i + 1, in: tokens) != nil, !brandWords.contains(tokens[i]) {
            let k = i + 1
            if tokens[k].is("st"), let site = siteEnd(k, tokens), tokens[i].capitalized, careInComment(tokens, memo: &care) {
                return (i, site, "department", "a site name before the named site '\(text.lower(tokens[k]))'")
            }
            if k < tokens.count, let length = lexicons.departments.matchLength(at: k, in: tokens),
               tokens[i].capitalized || (tokens[k].upperCount == tokens[k].length && tokens[k].length >= 2), !tokens[k].lineBefore {
                let afterArticle = i > 0 && (tokens[i - 1].is("the") || tokens[i - 1].is("a") || tokens[i - 1].is("an") || tokens[i - 1].is("to")
                    || tokens[i - 1].is("my") || tokens[i - 1].is("our"))
                if !afterArticle || tokens[i].capitalized, careInComment(tokens, memo: &care) {
                    return (i, k + length - 1, "department", "a site name before the department '\(text.lower(tokens[k]))'")
                }
            }
        }
        // City of residence after a cue.
        if let cueEnd = residenceCueEnd(at: i, tokens), cueEnd + 1 < tokens.count, let run = capitalRun(cueEnd + 1, tokens),
           !brandWords.contains(tokens[cueEnd + 1]), lexicons.givenNames.contains(tokens[cueEnd + 1]) == false || run > cueEnd + 1 {
            return (cueEnd + 1, run, "city", "residence cue before a capitalised place")
        }
        // "at/in/out of <Place>" in a sentence about care.
        if let length = words.placePrepositions.matchLength(at: i, in: tokens), i + length < tokens.count {
            var k = i + length
            if k < tokens.count, tokens[k].is("the") { k += 1 }
            if k < tokens.count, tokens[k].is("st"), let site = siteRun(k, tokens), careNear(i, tokens) {
                return (k, site, "site", "a named site after '\(text.lower(tokens[i]))' in a sentence about care")
            }
            if k < tokens.count, isPlaceWord(at: k, tokens), !tokens[k].is("st"), !brandWords.contains(tokens[k]), let run = capitalRun(k, tokens),
               !lexicons.givenNames.contains(tokens[k]), careNear(i, tokens) {
                return (k, run, "care_site", "a capitalised place after '\(text.lower(tokens[i]))' in a sentence about care")
            }
        }
        return nil
    }

    /// "St. Brigid Northside …": the saint name, then at least one more capitalised word or a department.
    func siteRun(_ i: Int, _ tokens: [Token]) -> Int? {
        guard let end = siteEnd(i, tokens) else { return nil }
        return end
    }

    func siteEnd(_ i: Int, _ tokens: [Token]) -> Int? {
        var k = i + 1
        if k < tokens.count, tokens[k].is(".") { k += 1 }
        guard k < tokens.count, tokens[k].capitalized else { return nil }
        let saintName = k
        k += 1
        var last = -1
        while k < tokens.count, !tokens[k].lineBefore {
            if tokens[k].is("'s") { last = k; k += 1; continue }
            if isPlaceWord(at: k, tokens) { last = k; k += 1; continue }
            if let length = lexicons.departments.matchLength(at: k, in: tokens) { last = k + length - 1; k += length; continue }
            break
        }
        guard last > saintName else { return nil }
        if last + 2 < tokens.count, tokens[last + 1].is("on"), let street = capitalRun(last + 2, tokens),
           lexicons.streetSuffixes.contains(tokens[street]) { last = street }
        return last
    }

    func residenceCueEnd(at i: Int, _ tokens: [Token]) -> Int? {
        guard let length = words.residenceCues.matchLength(at: i, in: tokens) else { return nil }
        var end = i + length - 1
        // "neighbor Ruth Abernathy in Grandview Heights": skip the name to the "in".
        if words.namedCues.contains(id: tokens[end].id) {
            var k = end + 1
            while k < tokens.count, k - end <= 4, tokens[k].capitalized || tokens[k].is("is") || tokens[k].is(":") { k += 1 }
            guard k < tokens.count, tokens[k].is("in") else { return nil }
            end = k
        }
        return end
    }

    /// Someone's care somewhere in the comment: a site named in passing ("the Riverside ER charity game") is no one's.
    func careInComment(_ tokens: [Token], memo: inout Bool?) -> Bool {
        if let known = memo { return known }
        let found = tokens.contains { words.strongCare.contains(id: $0.id) }
        memo = found
        return found
    }

    /// The whole span is one of the brand's own names ("St. Brigid Pharmacy").
    func isBrandName(_ first: Int, _ last: Int, _ tokens: [Token]) -> Bool {
        var k = first
        if tokens[k].is("the") { k += 1 }
        guard let length = brandNames.matchLength(at: k, in: tokens) else { return false }
        return k + length - 1 == last
    }

    func careNear(_ i: Int, _ tokens: [Token]) -> Bool {
        let from = max(0, i - 10), to = min(tokens.count - 1, i + 10)
        return (from...to).contains { words.careCues.contains(id: tokens[$0].id) }
    }

    func cityAfter(_ last: Int, _ tokens: [Token]) -> (Int, Int)? {
        var k = last + 1
        guard k < tokens.count else { return nil }
        if tokens[k].is(",") || tokens[k].is("in") { k += 1 } else { return nil }
        guard k < tokens.count, isPlaceWord(at: k, tokens), let run = capitalRun(k, tokens) else { return nil }
        return (k, run)
    }

    func zipAfter(_ last: Int, _ tokens: [Token]) -> Int? {
        var k = last + 1
        if k < tokens.count, tokens[k].is(",") { k += 1 }
        if k < tokens.count, words.states.contains(id: tokens[k].id), tokens[k].capitalized { k += 1 }
        guard k < tokens.count, tokens[k].kind == .number, tokens[k].length == 5 else { return nil }
        return k
    }
}
