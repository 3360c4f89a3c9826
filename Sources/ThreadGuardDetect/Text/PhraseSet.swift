/// A set of word phrases matched token by token (case-insensitive), built from lexicon lines.
/// Punctuation inside a phrase ("s/n", "e-mail") is matched as its own tokens. Words are vocabulary numbers,
/// so a token that starts no phrase is rejected by one bit test.
public struct PhraseSet: Sendable {
    /// First word → phrases (as word numbers) starting with it, longest first.
    private var byFirst: [Int32: [[Int32]]] = [:]
    /// Last word → phrases ending with it, longest first.
    private var byLast: [Int32: [[Int32]]] = [:]
    private var firstBits = WordBits()
    private var lastBits = WordBits()
    /// Word number → index into `groups` (-1: starts no phrase). Dense, so a look-up is one array read.
    private var firstIndex: [Int32] = []
    /// Per first word, its phrases longest first in one flat array: length, then that many word numbers, and
    /// so on. One array per look-up (an array of arrays would retain each candidate phrase in turn).
    private var groups: [[Int32]] = []
    public private(set) var count = 0

    public init(_ phrases: [String] = []) {
        for phrase in phrases { insert(phrase) }
    }

    public mutating func insert(_ phrase: String) {
        let parts = Self.split(phrase).map { Vocabulary.shared.intern($0) }
        guard let first = parts.first, let last = parts.last else { return }
        byFirst[first, default: []].append(parts)
        byFirst[first]!.sort { $0.count > $1.count }
        byLast[last, default: []].append(parts)
        byLast[last]!.sort { $0.count > $1.count }
        firstBits.insert(first)
        lastBits.insert(last)
        count += 1
        if Int(first) >= firstIndex.count { firstIndex.append(contentsOf: repeatElement(-1, count: Int(first) - firstIndex.count + 1)) }
        if firstIndex[Int(first)] < 0 {
            firstIndex[Int(first)] = Int32(groups.count)
            groups.append([])
        }
        groups[Int(firstIndex[Int(first)])] = byFirst[first]!.flatMap { [Int32($0.count)] + $0 }
    }

    /// Splits a phrase the way the tokenizer splits text.
    static func split(_ phrase: String) -> [String] {
        Tokenizer.tokenize(TextNormalizer().normalize(phrase), numbered: false).map(\.lower)
    }

    /// Length in tokens of the longest phrase starting at token `index`.
    @inline(__always)
    public func matchLength(at index: Int, in tokens: [Token]) -> Int? {
        let id = tokens[index].id
        guard firstBits.contains(id) else { return nil }
        return matchSlow(at: index, id: id, in: tokens)
    }

    private func matchSlow(at index: Int, id: Int32, in tokens: [Token]) -> Int? {
        guard Int(id) < firstIndex.count, firstIndex[Int(id)] >= 0 else { return nil }
        let group = groups[Int(firstIndex[Int(id)])]
        var p = 0
        while p < group.count {
            let length = Int(group[p])
            if index + length <= tokens.count {
                var ok = true
                var k = 1
                while k < length {
                    if tokens[index + k].id != group[p + 1 + k] { ok = false; break }
                    k += 1
                }
                if ok { return length }
            }
            p += 1 + length
        }
        return nil
    }

    /// Whether any phrase occurs in the text. Most sets share no first word with a comment: one pass over two
    /// bit sets answers before any token is looked at.
    public func occurs(in text: AnalysedText) -> Bool {
        guard mayOccur(in: text) else { return false }
        let tokens = text.tokens
        for k in tokens.indices where matchLength(at: k, in: tokens) != nil { return true }
        return false
    }

    /// False when no phrase can occur in the text (none of their first words is there).
    public func mayOccur(in text: AnalysedText) -> Bool {
        firstBits.intersects(text.words)
    }

    /// The longest phrase ending at token `index`, as text.
    public func matchEnding(at index: Int, in tokens: [Token]) -> String? {
        let id = tokens[index].id
        guard lastBits.contains(id), let candidates = byLast[id] else { return nil }
        for parts in candidates where index - parts.count + 1 >= 0 {
            let first = index - parts.count + 1
            var ok = true
            for k in 0..<parts.count where tokens[first + k].id != parts[k] {
                ok = false
                break
            }
            if ok { return tokens[first...index].map(\.lower).joined(separator: " ") }
        }
        return nil
    }

    /// Every phrase, as word numbers (for a `PhraseIndex` over many sets).
    public var phraseWords: [[Int32]] { byFirst.values.flatMap { $0 } }

    public func contains(word: String) -> Bool {
        let id = Vocabulary.shared.id(of: word)
        return byFirst[id]?.contains { $0.count == 1 } ?? false
    }
}
