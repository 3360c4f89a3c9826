import ThreadGuardCore
import ThreadGuardDetect

/// The policies in force: the brand's details, word lists, reply templates, category detectors and rules,
/// loaded from `Policies/`.
public struct PolicySet: Sendable {
    public var brand: BrandProfile
    /// Brand-voice variables templates may use (`{{support_phone}}`, `{{dm_link}}` …).
    public var variables: [String: String]
    public var templates: [String: ReplyTemplate]
    /// Named word lists (inline or from `lexicons/*.txt`).
    public var lexicons: [String: [String]]
    /// Rules that put comments in off-message categories.
    public var detectors: [PolicyRule]
    /// Rules that decide what to do.
    public var rules: [PolicyRule]
    /// Extra health terms for the PHI classifier (`lexicons/health/*.txt`, `devices/*.txt`, `care/*.txt`).
    public var healthTerms: [String]
    public var deviceTerms: [String]
    public var careTerms: [String]
    /// How many distinct checks the rules hold (slots of the per-comment cache).
    public var checkSlots: Int = 0
    /// The word lists of every text check, numbered, and one index over all of them: a comment is scanned once
    /// for every list instead of once per list.
    public var phraseTables: [PhraseTable] = [] {
        didSet { phraseIndex = PhraseIndex(phraseTables.map(\.phrases)) }
    }
    public private(set) var phraseIndex = PhraseIndex([])

    public init(brand: BrandProfile = BrandProfile(), variables: [String: String] = [:], templates: [String: ReplyTemplate] = [:],
                lexicons: [String: [String]] = [:], detectors: [PolicyRule] = [], rules: [PolicyRule] = [],
                healthTerms: [String] = [], deviceTerms: [String] = [], careTerms: [String] = []) {
        self.brand = brand
        self.variables = variables
        self.templates = templates
        self.lexicons = lexicons
        self.detectors = detectors
        self.rules = rules
        self.healthTerms = healthTerms
        self.deviceTerms = deviceTerms
        self.careTerms = careTerms
    }
}

/// Where a rule was written, for messages.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}
