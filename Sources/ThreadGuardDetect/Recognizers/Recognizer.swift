import ThreadGuardCore

/// A small declared detector of one identifier type: patterns, validators and context words, each result
/// carrying its explanation.
public protocol Recognizer: Sendable {
    var name: String { get }
    func recognize(_ text: AnalysedText, into findings: inout [Finding])
}
