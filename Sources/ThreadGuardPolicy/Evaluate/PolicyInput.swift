import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Everything a rule can look at for one comment.
public final class PolicyInput: @unchecked Sendable {
    public let text: AnalysedText
    /// The original text lower-cased, for substring checks (made on first use).
    public private(set) lazy var lowerText: String = raw.lowercased()
    /// No character of the text is changed by case folding, but ASCII letters (`RegexLiterals` can rule out
    /// regular expressions only then).
    public private(set) lazy var foldsToItself: Bool = RegexLiterals.foldsToItself(raw)
    /// The comment as written, for regular expressions (the normaliser's `original` holds exactly its scalars).
    public var originalText: String { raw }
    let raw: String
    /// The recognizers' analysis, or the learned models' revision of it (text checks do not read it: their cache holds).
    public var analysis: Analysis
    public let platform: Platform
    public let kind: ItemKind
    public let author: String
    public let isBrand: Bool
    public let ageHours: Double
    /// The thread above, oldest first.
    public let context: [ThreadContextEntry]
    /// Other replies to the same parent.
    public let siblings: [String]
    /// Categories found so far (detectors run before rules).
    public var categories: [Category]
    /// Results of text checks shared between rules (-1 not yet evaluated, 0 false, 1 true), by slot.
    var checkCache: [Int8] = []
    /// Which of the policy set's phrase tables occur in the text (one pass over it for all of them), and the
    /// tables themselves, so a check can tell its table is one of them.
    var phraseHits: PhraseHits?
    var phraseTables: [PhraseTable] = []

    public init(text: AnalysedText, raw: String, analysis: Analysis, platform: Platform = .facebook, kind: ItemKind = .comment,
                author: String = "", isBrand: Bool = false, ageHours: Double = 0, context: [ThreadContextEntry] = [],
                siblings: [String] = [], categories: [Category] = []) {
        self.text = text
        self.raw = raw
        self.analysis = analysis
        self.platform = platform
        self.kind = kind
        self.author = author
        self.isBrand = isBrand
        self.ageHours = ageHours
        self.context = context
        self.siblings = siblings
        self.categories = categories
    }
}
