/// A set of word phrases matched token by token (case-insensitive), built from lexicon lines.
/// Punctuation inside a phrase ("s/n", "e-mail") is matched as its own tokens. Words are vocabulary numbers,
/// so a token that starts no phrase is rejected by one bit test.
public struct PhraseSet: Sendable {
    /// First word → phrases (as word numbers) starting with it, longest first (for building and look-ups by word).
    private var byFirst: [Int32: [[Int32]]] = [:]
    private var firstBits = WordBits()
    private var lastBits = WordBits()
    /// The phrases grouped by first word and by last word, longest first, for matching: a look-up touches two
    /// small arrays, where a dense array per set indexed by word number (what this replaced) missed the cache.
    private var starting = WordPairTable([:])
    private var ending = WordPairTable([:])
    private var byLast: [Int32: [[Int32]]] = [:]
    public private(set) var count = 0

    public init(_ phrases: [String] = []) {
        for phrase in phrases { add(phrase) }
        rebuild()
    }

    /// Adds one phrase (regrouping every phrase: build a set from a list when there are many).
    public mutating func insert(_ phrase: String) {
        add(phrase)
        rebuild()
    }

    private mutating func add(_ phrase: String) {
        let parts = Self.split(phrase).map { Vocabulary.shared.intern($0) }
        guard let first = parts.first, let last = parts.last else { return }
        byFirst[first, default: []].append(parts)
        byLast[last, default: []].append(parts)
        firstBits.insert(first)
        lastBits.insert(last)
        count += 1
    }

    private mutating func rebuild() {
        starting = Self.grouped(byFirst)
        ending = Self.grouped(byLast)
    }

    /// Keyed by the word alone; longest first, and among equals in the order added.
    private static func grouped(_ groups: [Int32: [[Int32]]]) -> WordPairTable {
        var keyed: [UInt64: [[Int32]]] = [:]
        for (word, phrases) in groups {
            keyed[WordPairTable.key(word, -1)] = phrases.enumerated()
                .sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }.map(\.element)
        }
        return WordPairTable(keyed)
    }

    /// Splits a phrase the way the tokenizer splits text.
    static func split(_ phrase: String) -> [String] {
        let text = TextNormalizer().normalize(phrase)
        return Tokenizer.tokenize(text, numbered: false).map { text.lowerString($0.start, $0.end) }
    }

    /// Length in tokens of the longest phrase starting at token `index`.
    @inline(__always)
    public func matchLength(at index: Int, in tokens: [Token]) -> Int? {
        let id = tokens[index].id
        guard firstBits.contains(id) else { return nil }
        return matchSlow(at: index, id: id, in: tokens)
    }

    private func matchSlow(at index: Int, id: Int32, in tokens: [Token]) -> Int? {
        guard let (start, end) = starting.range(of: WordPairTable.key(id, -1)) else { return nil }
        return starting.entries.withUnsafeBufferPointer { entries in
            var p = start
            while p < end {
                let length = Int(entries[p])
                if index + length <= tokens.count {
                    var k = 1
                    while k < length, tokens[index + k].id == entries[p + 1 + k] { k += 1 }
                    if k == length { return length }
                }
                p += 1 + length
            }
            return nil
        }
    }

    /// Whether any phrase occurs in the text. Most sets share no first word with a comment: one pass over two
    /// bit sets answers before any token is looked at.
    public func occurs(in text: AnalysedText) -> Bool {
        guard mayOccur(in: text) else { return false }
        let tokens = text.tokens
        for k in tokens.indices where matchLength(at: k, in: tokens) != nil { return true }
        return false
    }

    /// The vocabulary numbers phrases start with: a caller testing several sets at every token can test their
    /// union once.
    var firstWords: WordBits { firstBits }

    /// False when no phrase can occur in the text (none of their first words is there).
    public func mayOccur(in text: AnalysedText) -> Bool {
        firstBits.intersects(text.words)
    }

    /// The longest phrase ending at token `index`, as text.
    public func matchEnding(at index: Int, in text: AnalysedText) -> String? {
        let tokens = text.tokens
        let id = tokens[index].id
        guard lastBits.contains(id), let (start, end) = ending.range(of: WordPairTable.key(id, -1)) else { return nil }
        var p = start
        while p < end {
            let length = Int(ending.entries[p])
            let first = index - length + 1
            if first >= 0 {
                var k = 0
                while k < length, tokens[first + k].id == ending.entries[p + 1 + k] { k += 1 }
                if k == length { return text.phrase(first..<(index + 1)) }
            }
            p += 1 + length
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
