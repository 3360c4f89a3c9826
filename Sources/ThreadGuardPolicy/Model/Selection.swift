import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// A named selection: every check in it must hold (AND); a check holds when any of its values matches (OR).
public struct Selection: Sendable {
    public var checks: [FieldCheck]
}

/// The fields a check can look at.
public enum Field: String, Sendable, CaseIterable {
    case text
    case author
    case platform
    case kind
    case isBrand = "author.is_brand"
    case ageHours = "age_hours"
    case phi
    /// The comment talks about health at all (a condition, symptom, treatment, device, care setting).
    case health
    case phiScore = "phi.score"
    case phiTypes = "phi.types"
    case phiCount = "phi.count"
    case phiSubject = "phi.subject"
    case phiDirect = "phi.direct"
    case category
    case parentIsBrand = "thread.parent_is_brand"
    case rootIsBrand = "thread.root_is_brand"
    case brandPost = "thread.brand_post"
    case parentText = "thread.parent"
    case siblings = "thread.siblings"
    case depth = "thread.depth"
    /// The learned models' calibrated probability of a category (0–1); without a model, 1 when a detector assigned
    /// the category and 0 otherwise.
    case scoreAdverseEvent = "score.adverse_event"
    case scoreMedicalAdvice = "score.medical_advice"
    case scoreComplaint = "score.complaint"
    case scoreDistress = "score.distress"
    case scoreOffLabel = "score.off_label"
    case scoreMisinformation = "score.misinformation"
    case scoreCompetitor = "score.competitor"
    case scoreSpam = "score.spam"
    case scoreAbuse = "score.abuse"

    /// The category a `score.` field reads (a switch: the evaluator asks for every check of every comment).
    var scoredCategory: Category? {
        switch self {
        case .scoreAdverseEvent: return .adverseEvent
        case .scoreMedicalAdvice: return .medicalAdvice
        case .scoreComplaint: return .complaint
        case .scoreDistress: return .distress
        case .scoreOffLabel: return .offLabel
        case .scoreMisinformation: return .misinformation
        case .scoreCompetitor: return .competitor
        case .scoreSpam: return .spam
        case .scoreAbuse: return .abuse
        default: return nil
        }
    }

    var isText: Bool { [.text, .author, .brandPost, .parentText, .siblings].contains(self) }
    var isNumber: Bool { [.phiScore, .phiCount, .depth, .ageHours].contains(self) || scoredCategory != nil }
    var isBool: Bool { [.phi, .health, .phiDirect, .parentIsBrand, .rootIsBrand, .isBrand].contains(self) }
}

/// How a text field is matched.
public enum TextMatch: String, Sendable, CaseIterable {
    case includes, includesWord = "includes-word", startsWith = "starts-with", endsWith = "ends-with", regex, near
}

/// How a number is compared.
public enum NumberComparison: String, Sendable, CaseIterable {
    case eq, gte, gt, lte, lt
}

/// One field check, compiled.
public struct FieldCheck: Sendable {
    public var field: Field
    public var negate: Bool
    public var matcher: Matcher
    public var location: SourceLocation
    /// Checks written the same way in several rules share one slot, so each is evaluated once per comment.
    public var slot: Int = -1

    /// A regular expression costs far more than a word look-up; selections evaluate these last.
    public var isRegex: Bool {
        if case .regex = matcher { return true }
        return false
    }

    public enum Matcher: Sendable {
        case words(PhraseTable, Int)
        case substrings([String])
        case prefixes([String])
        case suffixes([String])
        case regex([NSRegularExpressionBox])
        case near(PhraseTable, PhraseTable, within: Int)
        case number(NumberComparison, Double)
        case bool(Bool)
        case oneOf(Set<String>)
    }
}

/// NSRegularExpression is thread-safe for matching; this box says so to the compiler.
public struct NSRegularExpressionBox: @unchecked Sendable {
    public let regex: NSRegularExpression
    public let pattern: String
    /// Strings a match needs, to skip the regex engine for comments without them.
    public let literals: RegexLiterals

    public init(regex: NSRegularExpression, pattern: String) {
        self.regex = regex
        self.pattern = pattern
        literals = RegexLiterals(pattern)
    }
}

/// A phrase set behind one reference: evaluating a check binds the matcher's payload, which for a bare
/// `PhraseSet` would retain and release each of its tables, for every rule and every comment.
public final class PhraseTable: Sendable {
    public let phrases: PhraseSet
    /// Its place in the policy set's `phraseTables` (and so in its `phraseIndex`).
    public let number: Int

    init(_ phrases: PhraseSet, number: Int) {
        self.phrases = phrases
        self.number = number
    }

    /// This is the table `tables` numbers as `number` (a hand-built rule's table may belong to no index).
    @inline(__always) func isEntry(of tables: [PhraseTable]) -> Bool {
        number < tables.count && tables[number] === self
    }
}

/// A check behind one reference, as the engine reads it: evaluating it copies nothing and retains at most
/// the matcher's payload.
final class CompiledCheck: Sendable {
    let field: Field
    let negate: Bool
    let slot: Int
    let matcher: FieldCheck.Matcher
    /// Substrings without letters ("?", "$"): matched in the text as written, not lower-cased.
    let substringsWithoutLetters: Bool

    init(_ check: FieldCheck) {
        field = check.field
        negate = check.negate
        slot = check.slot
        matcher = check.matcher
        if case .substrings(let parts) = check.matcher {
            substringsWithoutLetters = parts.allSatisfy { !$0.contains(where: \.isLetter) }
        } else {
            substringsWithoutLetters = false
        }
    }
}
