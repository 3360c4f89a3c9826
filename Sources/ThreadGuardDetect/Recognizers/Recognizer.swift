import ThreadGuardCore

/// A small declared detector of one identifier type: patterns, validators and context words, each result
/// carrying its explanation.
public protocol Recognizer: Sendable {
    var name: String { get }
    /// True when everything it finds contains a digit: text without digits is skipped.
    var needsDigits: Bool { get }
    func recognize(_ text: AnalysedText, into findings: inout [Finding])
}

extension Recognizer {
    public var needsDigits: Bool { false }
}
