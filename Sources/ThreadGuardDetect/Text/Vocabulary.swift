import Foundation

/// Every word any lexicon knows, numbered. Tokens carry their word's number (or -1), so lexicon look-ups
/// are bit tests instead of string hashing: one hash per token instead of one per token per lexicon.
final class Vocabulary: @unchecked Sendable {
    static let shared = Vocabulary()
    fileprivate let lock = NSLock()
    fileprivate var ids: [String: Int32] = [:]
    /// Built on first use after the last new word.
    private var index: VocabularyIndex?

    /// The word's number, or -1 when no lexicon has it.
    func id(of word: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        return ids[word] ?? -1
    }

    /// The numbering as it stands, for many look-ups without the lock: a tokenizer takes one per text. Words
    /// are interned while lexicons and policies load, before any text is read, so a snapshot is complete.
    func snapshot() -> VocabularyIndex {
        lock.lock()
        defer { lock.unlock() }
        if let index { return index }
        let built = VocabularyIndex(ids)
        index = built
        return built
    }

    /// The word's number, adding it if new.
    func intern(_ word: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[word] { return id }
        let id = Int32(ids.count)
        ids[word] = id
        index = nil
        return id
    }
}

/// A frozen copy of the vocabulary for look-ups without a lock. Words of up to sixteen ASCII characters (nearly
/// every word) are found by their bytes packed into one or two integers, in open-addressing tables: no string
/// hashing.
struct VocabularyIndex: Sendable {
    let dictionary: [String: Int32]
    private var short: PackedKeyTable
    /// Nine to sixteen characters: the first eight packed and the rest, beside the word's number (one cache line
    /// per look-up).
    private struct LongSlot {
        var head: UInt64
        var tail: UInt64
        var value: Int32
    }

    private var long: [LongSlot]
    private let longMask: Int
    /// Numbers of the one-character words (punctuation, "a", "i": a third of all tokens) by character, so
    /// they skip the table probe.
    private var singleCharacter = [Int32](repeating: -1, count: 128)

    static let empty = VocabularyIndex([:])

    init(_ ids: [String: Int32]) {
        dictionary = ids
        let longWords = ids.compactMap { word, id in Self.longKey(word.unicodeScalars).map { ($0.0, $0.1, id) } }
        var size = 16
        while size < longWords.count * 2 { size <<= 1 }
        // Sized by the short words alone: the smaller the table every token probes, the more of it stays cached.
        let shortWords = ids.compactMap { word, id in Self.key(word).map { ($0, id) } }
        short = PackedKeyTable(capacity: shortWords.count)
        long = [LongSlot](repeating: LongSlot(head: 0, tail: 0, value: -1), count: size)
        longMask = size - 1
        for (head, tail, id) in longWords {
            var slot = PackedKeyTable.slot(head ^ tail &* 31, longMask)
            while long[slot].head != 0 { slot = (slot + 1) & longMask }
            long[slot] = LongSlot(head: head, tail: tail, value: id)
        }
        for (key, id) in shortWords { short.insert(key, id) }
        for value in 1..<128 { singleCharacter[value] = short.value(UInt64(value)) }
    }

    /// A word of nine to sixteen ASCII characters as two packed integers (neither is zero).
    @inline(__always) static func longKey<Scalars: Collection>(_ scalars: Scalars) -> (UInt64, UInt64)? where Scalars.Element == Unicode.Scalar {
        let count = scalars.count
        guard count > 8, count <= 16 else { return nil }
        var head: UInt64 = 0
        var tail: UInt64 = 0
        var n = 0
        for scalar in scalars {
            guard scalar.value < 128, scalar.value > 0 else { return nil }
            if n < 8 { head = head << 8 | UInt64(scalar.value) } else { tail = tail << 8 | UInt64(scalar.value) }
            n += 1
        }
        return (head, tail)
    }

    /// The number of a word longer than eight characters or not ASCII, given as lowercased characters: packed
    /// when it can be, else hashed as the string `word` makes.
    func id(long scalars: ArraySlice<Unicode.Scalar>, _ word: () -> String) -> Int32 {
        guard let (head, tail) = Self.longKey(scalars) else { return dictionary[word()] ?? -1 }
        return long.withUnsafeBufferPointer { long in
            var slot = PackedKeyTable.slot(head ^ tail &* 31, longMask)
            while true {
                let found = long[slot]
                if found.head == head, found.tail == tail { return found.value }
                if found.head == 0 { return -1 }
                slot = (slot + 1) & longMask
            }
        }
    }

    /// The packed bytes of a word of one to eight ASCII characters (none is zero, so lengths never collide).
    static func key(_ word: String) -> UInt64? { key(word.unicodeScalars) }

    /// The same key from the characters themselves: the tokenizer packs lowercased text without a string.
    @inline(__always) static func key<Scalars: Collection>(_ scalars: Scalars) -> UInt64? where Scalars.Element == Unicode.Scalar {
        guard !scalars.isEmpty, scalars.count <= 8 else { return nil }
        var key: UInt64 = 0
        for scalar in scalars {
            guard scalar.value < 128, scalar.value > 0 else { return nil }
            key = key << 8 | UInt64(scalar.value)
        }
        return key
    }

    /// The number of the word whose packed bytes are `key`, or -1.
    @inline(__always) func id(packed key: UInt64) -> Int32 { key < 128 ? singleCharacter[Int(key)] : short.value(key) }

    func id(of word: String) -> Int32 {
        if let key = Self.key(word) { return id(packed: key) }
        return id(long: ArraySlice(word.unicodeScalars)) { word }
    }
}

/// A set of vocabulary numbers as a bit set.
struct WordBits: Sendable {
    private var words: [UInt64] = []

    init() {}

    /// Room for numbers up to `highest` made at once, rather than grown word by word.
    init(highest: Int32) {
        if highest >= 0 { words = [UInt64](repeating: 0, count: Int(highest) >> 6 + 1) }
    }

    mutating func insert(_ id: Int32) {
        let index = Int(id) >> 6
        if index >= words.count { words.append(contentsOf: repeatElement(0, count: index - words.count + 1)) }
        words[index] |= 1 << UInt64(id & 63)
    }

    @inline(__always) func contains(_ id: Int32) -> Bool {
        guard id >= 0 else { return false }
        let index = Int(id) >> 6
        return index < words.count && words[index] & (1 << UInt64(id & 63)) != 0
    }

    /// The words of either set.
    func union(_ other: WordBits) -> WordBits {
        var result = WordBits()
        result.words = [UInt64](repeating: 0, count: max(words.count, other.words.count))
        for k in words.indices { result.words[k] |= words[k] }
        for k in other.words.indices { result.words[k] |= other.words[k] }
        return result
    }

    /// The numbers in the set, in order.
    var members: [Int32] {
        var result: [Int32] = []
        for (index, word) in words.enumerated() where word != 0 {
            for bit in 0..<64 where word & (1 << UInt64(bit)) != 0 { result.append(Int32(index * 64 + bit)) }
        }
        return result
    }

    /// Whether the two sets share a word.
    func intersects(_ other: WordBits) -> Bool {
        let count = min(words.count, other.words.count)
        var k = 0
        while k < count {
            if words[k] & other.words[k] != 0 { return true }
            k += 1
        }
        return false
    }
}

/// A set of single words checked against a token's vocabulary number: one bit test, no hashing.
public struct WordSet: Sendable {
    private(set) var bits = WordBits()

    public init(_ words: [String]) {
        for word in words { bits.insert(Vocabulary.shared.intern(word.lowercased())) }
    }

    @inline(__always) public func contains(_ token: Token) -> Bool { bits.contains(token.id) }

    /// By vocabulary number: `set.contains(id: tokens[k].id)` reads one field without copying the token.
    @inline(__always) public func contains(id: Int32) -> Bool { bits.contains(id) }

    /// The vocabulary numbers of the words.
    var ids: [Int32] { bits.members }

    /// For words not at hand as tokens (slower: one locked look-up).
    public func contains(_ word: String) -> Bool { bits.contains(Vocabulary.shared.id(of: word)) }
}

extension Vocabulary {
    /// How many words are known: stable once every lexicon is built.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return ids.count
    }
}
