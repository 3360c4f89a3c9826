import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Checks a drafted reply before it can go out: it must not repeat anything a finding covers in the comment or
/// its thread, and must not confirm a care relationship ("your visit", "your chart"; the `care_confirmation`
/// lexicon). Refusal reasons name the kind of problem, never the text.
public struct ReplyGuard: Sendable {
    let confirmations: PhraseSet
    /// Drafts come from a few templates: remember which texts confirm a care relationship, and each draft's
    /// lower-cased text, digits and words.
    private let seen = ConfirmationMemo()
    private let shapes = DraftMemo()

    public init(confirmations: [String]) {
        self.confirmations = PhraseSet(confirmations)
    }

    public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// `covered`: for each finding of the comment and its thread, its type and the text it covers.
    public func check(_ draft: String, covered: [(type: FindingType, text: String)]) -> Refusal? {
        let shape = shapes.value(for: draft)
        let (lowerDraft, draftDigits, draftWords) = (shape.lower, shape.digits, shape.words)
        for finding in covered where finding.type != .health {
            let text = Self.trimmed(finding.text.lowercased())
            guard text.count >= 2 else { continue }
            if Self.contains(lowerDraft, text, haystackIsASCII: shape.isASCII) {
                return Refusal(reason: "the draft repeats a \(finding.type.rawValue) from the comment or its thread")
            }
            // Numbers written another way ("614 555 0199" vs "614-555-0199").
            let digits = Self.foldedDigits(finding.text)
            if digits.count >= 4, draftDigits.contains(digits) {
                return Refusal(reason: "the draft repeats the digits of a \(finding.type.rawValue) from the comment or its thread")
            }
            // Each word of a name or place ("Hi Mike").
            if finding.type == .name || finding.type == .location {
                let words = text.split { !$0.isLetter }.filter { $0.count >= 3 }
                if words.contains(where: { draftWords.contains(String($0)) }) {
                    return Refusal(reason: "the draft names a \(finding.type.rawValue) from the comment or its thread")
                }
            }
        }
        let confirms = seen.value(for: draft) {
            let analysed = AnalysedText(draft)
            return analysed.tokens.indices.contains { confirmations.matchLength(at: $0, in: analysed.tokens) != nil }
        }
        return confirms ? Refusal(reason: "the draft confirms a care relationship (care_confirmation lexicon)") : nil
    }

    /// Foundation's search when either side has non-ASCII text (canonically equal spellings must match); a byte
    /// search, which gives the same answer, when both are ASCII.
    static func contains(_ haystack: String, _ needle: String, haystackIsASCII: Bool) -> Bool {
        haystackIsASCII && ByteSearch.isASCII(needle) ? ByteSearch.contains(haystack, needle) : haystack.contains(needle)
    }

    /// Without leading and trailing white space; most texts have none, and keep their storage.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        let space = CharacterSet.whitespacesAndNewlines
        return space.contains(first) || space.contains(last) ? text.trimmingCharacters(in: space) : text
    }

    /// The text's digits after folding (full-width and other digit forms become ASCII), as a string.
    static func foldedDigits(_ text: String) -> String {
        var digits = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let folded = scalar.isASCII ? scalar : TextNormalizer.fold(scalar).first ?? scalar
            if CharClass.isDigit(folded) { digits.append(folded) }
        }
        return String(digits)
    }

    /// The texts findings cover, for `check`.
    public static func covered(_ analysis: Analysis, in text: String) -> [(type: FindingType, text: String)] {
        let scalars = Array(text.unicodeScalars)
        return analysis.findings.filter { $0.type.isIdentifier && $0.end <= scalars.count }.map {
            ($0.type, String(String.UnicodeScalarView(scalars[$0.start..<$0.end])))
        }
    }
}

/// A draft's lower-cased text, its digits (folded) and its words, computed once per distinct draft.
final class DraftMemo: @unchecked Sendable {
    struct Shape {
        var lower: String
        var digits: String
        var words: Set<String>
        var isASCII: Bool
    }
    private let lock = NSLock()
    private var values: [String: Shape] = [:]

    func value(for draft: String) -> Shape {
        if let known = lock.withLock({ values[draft] }) { return known }
        let lower = draft.lowercased()
        let shape = Shape(lower: lower, digits: ReplyGuard.foldedDigits(draft), words: Set(lower.split { !$0.isLetter }.map(String.init)),
                          isASCII: ByteSearch.isASCII(lower))
        lock.withLock {
            if values.count > 512 { values.removeAll() }
            values[draft] = shape
        }
        return shape
    }
}

/// A small memo of draft text → "confirms a care relationship", bounded.
final class ConfirmationMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Bool] = [:]

    func value(for key: String, compute: () -> Bool) -> Bool {
        if let known = lock.withLock({ values[key] }) { return known }
        let result = compute()
        lock.withLock {
            if values.count > 512 { values.removeAll() }
            values[key] = result
        }
        return result
    }
}
