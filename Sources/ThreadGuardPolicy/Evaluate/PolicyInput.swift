import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Everything a rule can look at for one comment.
public final class PolicyInput: @unchecked Sendable {
    public let text: AnalysedText
    /// The original text lower-cased, for substring checks (made on first use).
    public private(set) lazy var lowerText: String = raw.lowercased()
    /// The normaliser's view of the original text, for regular expressions.
    public private(set) lazy var originalText: String = String(String.UnicodeScalarView(text.text.original))
    let raw: String
    public let analysis: Analysis
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
