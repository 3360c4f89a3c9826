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
            let text = finding.text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count >= 2 else { continue }
            if lowerDraft.contains(text) { return Refusal(reason: "the draft repeats a \(finding.type.rawValue) from the comment or its thread") }
            // Numbers written another way ("614 555 0199" vs "614-555-0199").
            let digits = String(finding.text.unicodeScalars.map { TextNormalizer.fold($0).first ?? $0 }.filter(CharClass.isDigit).map(Character.init))
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
    }
    private let lock = NSLock()
    private var values: [String: Shape] = [:]

    func value(for draft: String) -> Shape {
        if let known = lock.withLock({ values[draft] }) { return known }
        let lower = draft.lowercased()
        let digits = String(draft.unicodeScalars.map { TextNormalizer.fold($0).first ?? $0 }.filter(CharClass.isDigit).map(Character.init))
        let shape = Shape(lower: lower, digits: digits, words: Set(lower.split { !$0.isLetter }.map(String.init)))
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
