/// A set of lower-case words for testing tokens: a word of one to eight ASCII characters (nearly every name)
/// is found by the token's packed bytes with one multiply and a probe. The few longer or non-ASCII words are
/// numbered in the vocabulary and found by the token's number. Short words of large lists (given names,
/// surnames) stay out of the vocabulary's short-word table, which every token probes.
public struct PackedWordSet: Sendable {
    private var table: PackedKeySet
    private var others = WordBits()

    public init<Words: Sequence>(_ words: Words) where Words.Element == String {
        let list = Array(words)
        table = PackedKeySet(capacity: list.count)
        for word in list {
            if let key = VocabularyIndex.key(word) { table.insert(key) } else { others.insert(Vocabulary.shared.intern(word)) }
        }
    }

    /// Whether the token's lower-cased text is in the set.
    @inline(__always) public func contains(_ token: Token) -> Bool {
        token.key != 0 ? table.contains(token.key) : others.contains(token.id)
    }

    public func contains(_ word: String) -> Bool {
        if let key = VocabularyIndex.key(word) { return table.contains(key) }
        return others.contains(Vocabulary.shared.id(of: word))
    }
}
