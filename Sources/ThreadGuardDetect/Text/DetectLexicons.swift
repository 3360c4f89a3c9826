/// The word lists the recognizers share, loaded once from the built-in lexicon files.
public struct DetectLexicons: Sendable {
    public let givenNames: PackedWordSet
    public let surnames: PackedWordSet
    public let facilityHeads: PhraseSet
    public let departments: PhraseSet
    public let streetSuffixes: PackedWordSet
    public let months: [String: Int]
    /// The month names of `months`, for a per-token test without hashing.
    public let monthWords: WordSet
    public let publicFigures: PhraseSet

    public static let shared = DetectLexicons()

    init() {
        givenNames = PackedWordSet((Lexicon.builtIn("given_names") + Lexicon.builtIn("given_names_census")).map { $0.lowercased() })
        surnames = PackedWordSet((Lexicon.builtIn("surnames") + Lexicon.builtIn("surnames_census")).map { $0.lowercased() })
        facilityHeads = PhraseSet(Lexicon.builtIn("facility_heads"))
        departments = PhraseSet(Lexicon.builtIn("departments"))
        streetSuffixes = PackedWordSet(Lexicon.builtIn("street_suffixes").map { $0.lowercased() })
        var months: [String: Int] = [:]
        for line in Lexicon.builtIn("months") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let number = Int(parts[1]) { months[parts[0].lowercased()] = number }
        }
        self.months = months
        monthWords = WordSet(Array(months.keys))
        publicFigures = PhraseSet(Lexicon.builtIn("public_figures"))
    }
}
