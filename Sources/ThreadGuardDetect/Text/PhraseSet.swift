/// A set of word phrases matched token by token (case-insensitive), built from lexicon lines.
/// Punctuation inside a phrase ("s/n", "e-mail") is matched as its own tokens.
public struct PhraseSet: Sendable {
    /// First token → phrases (as token lists) starting with it, longest first.
    private var byFirst: [String: [[String]]] = [:]
    /// Last token → phrases ending with it, longest first.
    private var byLast: [String: [[String]]] = [:]
    public private(set) var count = 0

    public init(_ phrases: [String] = []) {
        for phrase in phrases { insert(phrase) }
    }

    public mutating func insert(_ phrase: String) {
        let parts = Self.split(phrase)
        guard let first = parts.first, let last = parts.last else { return }
        byFirst[first, default: []].append(parts)
        byFirst[first]!.sort { $0.count > $1.count }
        byLast[last, default: []].append(parts)
        byLast[last]!.sort { $0.count > $1.count }
        count += 1
    }

    /// Splits a phrase the way the tokenizer splits text.
    static func split(_ phrase: String) -> [String] {
        let analysed = AnalysedText(phrase)
        return analysed.tokens.map(\.lower)
    }

    /// Length in tokens of the longest phrase starting at token `index`.
    public func matchLength(at index: Int, in tokens: [Token]) -> Int? {
        guard let candidates = byFirst[tokens[index].lower] else { return nil }
        for parts in candidates where index + parts.count <= tokens.count {
            var ok = true
            for k in 1..<max(parts.count, 1) where tokens[index + k].lower != parts[k] {
                ok = false
                break
            }
            if ok { return parts.count }
        }
        return nil
    }

    /// The longest phrase ending at token `index`, as text.
    public func matchEnding(at index: Int, in tokens: [Token]) -> String? {
        guard let candidates = byLast[tokens[index].lower] else { return nil }
        for parts in candidates where index - parts.count + 1 >= 0 {
            let first = index - parts.count + 1
            var ok = true
            for k in 0..<parts.count where tokens[first + k].lower != parts[k] {
                ok = false
                break
            }
            if ok { return parts.joined(separator: " ") }
        }
        return nil
    }

    public func contains(word: String) -> Bool { byFirst[word]?.contains { $0.count == 1 } ?? false }
}
