import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Checks a reply before it can go out. A reply is refused when
/// - the PHI classifier, run on the reply itself after normalisation (invisible characters removed, look-alikes
///   folded, spelled-out digits rewritten), finds any identifier in it — the brand's own contact details excepted;
/// - it repeats anything a finding covers anywhere in the thread (the comment, the comments above it and beside
///   it), compared after the same normalisation, by text, by digits and by each word of a name or place;
/// - it confirms a care relationship ("your visit", "your chart"; the `care_confirmation` lexicon).
///
/// Every refusal for personal details gives the same reason, whatever matched: a person probing with guesses
/// learns nothing from the answer (and each refusal a person meets is audited by the caller).
public struct ReplyGuard: Sendable {
    let confirmations: PhraseSet
    let classifier: PHIClassifier
    /// The brand's own contact details (its variables, phones and e-mails): never someone's identifier.
    let brandValues: [String]
    /// The brand's domains: a link in a reply must point to one of them.
    let brandDomains: [String]
    private let normaliser = TextNormalizer()
    /// Drafts come from a few templates: remember each draft's shape and whether it confirms a care relationship.
    private let seen = ConfirmationMemo()
    private let shapes = DraftMemo()

    public static let personalDetails = "the reply may not contain personal details (names, contact details, numbers, dates or places) or repeat anything from the thread; the brand's own contact details are fine"
    public static let careRelationship = "the reply confirms a care relationship (care_confirmation lexicon)"

    public init(confirmations: [String], classifier: PHIClassifier = PHIClassifier(), brandValues: [String] = [], brandDomains: [String] = []) {
        self.confirmations = PhraseSet(confirmations)
        self.classifier = classifier
        self.brandDomains = brandDomains.map { $0.lowercased() }
        // Longest first, so a longer value is blanked before a shorter one inside it.
        self.brandValues = Array(Set(brandValues.filter { $0.count >= 3 })).sorted { $0.count > $1.count }
    }

    public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// `covered`: for each finding of the comment and its thread, its type and the text it covers.
    public func check(_ draft: String, covered: [(type: FindingType, text: String)]) -> Refusal? {
        let shape = shapes.value(for: draft) { makeShape(draft) }
        if shape.hasIdentifier { return Refusal(reason: Self.personalDetails) }
        for finding in covered where finding.type != .health {
            let text = normalisedLower(finding.text).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count >= 2 else { continue }
            // Also with the separators taken out ("m i k e . r u s s o"), for texts long enough not to match by chance.
            let squashed = Self.squash(text)
            if shape.lower.contains(text) || squashed.count >= 8 && shape.squashed.contains(squashed) {
                return Refusal(reason: Self.personalDetails)
            }
            // Numbers written another way ("614 555 0199" vs "614-555-0199", "six one four …").
            let digits = text.unicodeScalars.filter(CharClass.isDigit).map(String.init).joined()
            if digits.count >= 4, shape.digits.contains(digits) { return Refusal(reason: Self.personalDetails) }
            // Each word of a name or place ("Hi Mike").
            if finding.type == .name || finding.type == .location {
                let words = text.split { !$0.isLetter }.filter { $0.count >= 3 }
                if words.contains(where: { shape.words.contains(String($0)) }) { return Refusal(reason: Self.personalDetails) }
            }
        }
        let confirms = seen.value(for: draft) {
            let analysed = AnalysedText(draft)
            return analysed.tokens.indices.contains { confirmations.matchLength(at: $0, in: analysed.tokens) != nil }
        }
        return confirms ? Refusal(reason: Self.careRelationship) : nil
    }

    /// The draft with the brand's own contact details blanked, normalised; whether the classifier finds any
    /// identifier in it; its lower-cased text, letters and digits only, digits, and words.
    func makeShape(_ draft: String) -> DraftMemo.Shape {
        var exempt = draft
        for value in brandValues where exempt.range(of: value, options: .caseInsensitive) != nil {
            exempt = exempt.replacingOccurrences(of: value, with: " ", options: .caseInsensitive)
        }
        let lower = normalisedLower(exempt)
        let hasIdentifier = classifier.analyse(exempt).findings.contains { $0.type.isIdentifier } || hasForeignLink(lower)
        let digits = lower.unicodeScalars.filter(CharClass.isDigit).map(String.init).joined()
        return DraftMemo.Shape(lower: lower, squashed: Self.squash(lower), digits: digits,
                               words: Set(lower.split { !$0.isLetter }.map(String.init)), hasIdentifier: hasIdentifier)
    }

    /// A link to anywhere but the brand's own domains (a person's page, a shortener hiding one).
    func hasForeignLink(_ lower: String) -> Bool {
        for word in lower.split(whereSeparator: { $0.isWhitespace || "<>()[]\"'".contains($0) }) {
            var rest = Substring(word)
            if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] } else if !rest.hasPrefix("www.") { continue }
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }.trimmingCharacters(in: CharacterSet(charactersIn: ".,;!"))
            guard !host.isEmpty else { continue }
            if !brandDomains.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return true }
        }
        return false
    }

    /// Normalised (see `TextNormalizer`) and lower-cased.
    func normalisedLower(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: normaliser.normalize(text).lower)
        return String(view)
    }

    /// Letters and digits only ("m.i.k.e" and "m i k e" become "mike").
    static func squash(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { CharClass.isDigit($0) || $0.properties.isAlphabetic }))
    }

    /// The texts findings cover, for `check`.
    public static func covered(_ analysis: Analysis, in text: String) -> [(type: FindingType, text: String)] {
        let scalars = Array(text.unicodeScalars)
        return analysis.findings.filter { $0.type.isIdentifier && $0.end <= scalars.count }.map {
            ($0.type, String(String.UnicodeScalarView(scalars[$0.start..<$0.end])))
        }
    }
}

/// A draft's normalised shape, computed once per distinct draft.
final class DraftMemo: @unchecked Sendable {
    struct Shape {
        var lower: String
        var squashed: String
        var digits: String
        var words: Set<String>
        var hasIdentifier: Bool
    }
    private let lock = NSLock()
    private var values: [String: Shape] = [:]

    func value(for draft: String, compute: () -> Shape) -> Shape {
        if let known = lock.withLock({ values[draft] }) { return known }
        let shape = compute()
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
