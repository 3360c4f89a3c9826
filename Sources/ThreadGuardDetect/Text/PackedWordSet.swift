/// A set of lower-case words for testing tokens: a word of one to eight ASCII characters (nearly every name)
/// is found by the token's packed bytes with one multiply and a probe; longer or non-ASCII words sit in a plain
/// set. Large lists (given names, surnames) stay out of the vocabulary, whose table every token probes.
public struct PackedWordSet: Sendable {
    private var keys: [UInt64]
    private let mask: Int
    private var others: Set<String> = []

    public init<Words: Sequence>(_ words: Words) where Words.Element == String {
        let list = Array(words)
        var size = 16
        while size < list.count * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for word in list {
            guard let key = VocabularyIndex.key(word) else {
                others.insert(word)
                continue
            }
            var slot = VocabularyIndex.slot(key, mask)
            while keys[slot] != 0, keys[slot] != key { slot = (slot + 1) & mask }
            keys[slot] = key
        }
    }

    @inline(__always) private func contains(packed key: UInt64) -> Bool {
        var slot = VocabularyIndex.slot(key, mask)
        while true {
            let found = keys[slot]
            if found == key { return true }
            if found == 0 { return false }
            slot = (slot + 1) & mask
        }
    }

    /// Whether the token's lower-cased text is in the set.
    @inline(__always) public func contains(_ token: Token) -> Bool {
        token.key != 0 ? contains(packed: token.key) : others.contains(token.lower)
    }

    public func contains(_ word: String) -> Bool {
        if let key = VocabularyIndex.key(word) { return contains(packed: key) }
        return others.contains(word)
    }
}
