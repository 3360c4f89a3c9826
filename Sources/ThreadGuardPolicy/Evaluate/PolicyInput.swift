import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Everything a rule can look at for one comment.
public struct PolicyInput: Sendable {
    public var text: AnalysedText
    /// The original text lower-cased, for substring checks.
    public var lowerText: String
    public var analysis: Analysis
    public var platform: Platform
    public var kind: ItemKind
    public var author: String
    public var isBrand: Bool
    public var ageHours: Double
    /// The thread above, oldest first.
    public var context: [ThreadContextEntry]
    /// Other replies to the same parent.
    public var siblings: [String]
    /// Categories found so far (detectors run before rules).
    public var categories: [Category]

    public init(text: AnalysedText, raw: String, analysis: Analysis, platform: Platform = .facebook, kind: ItemKind = .comment,
                author: String = "", isBrand: Bool = false, ageHours: Double = 0, context: [ThreadContextEntry] = [],
                siblings: [String] = [], categories: [Category] = []) {
        self.text = text
        self.lowerText = raw.lowercased()
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
