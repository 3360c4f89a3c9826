import Foundation

/// Every word any lexicon knows, numbered. Tokens carry their word's number (or -1), so lexicon look-ups
/// are bit tests instead of string hashing: one hash per token instead of one per token per lexicon.
final class Vocabulary: @unchecked Sendable {
    static let shared = Vocabulary()
    fileprivate let lock = NSLock()
    fileprivate var ids: [String: Int32] = [:]

    /// The word's number, or -1 when no lexicon has it.
    func id(of word: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        return ids[word] ?? -1
    }

    /// The numbering as it stands, for many look-ups without the lock: a tokenizer takes one per text. Words
    /// are interned while lexicons and policies load, before any text is read, so a snapshot is complete.
    func snapshot() -> [String: Int32] {
        lock.lock()
        defer { lock.unlock() }
        return ids
    }

    /// The word's number, adding it if new.
    func intern(_ word: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[word] { return id }
        let id = Int32(ids.count)
        ids[word] = id
        return id
    }
}

/// A set of vocabulary numbers as a bit set.
struct WordBits: Sendable {
    private var words: [UInt64] = []

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
}

/// A set of single words checked against a token's vocabulary number: one bit test, no hashing.
public struct WordSet: Sendable {
    private var bits = WordBits()

    public init(_ words: [String]) {
        for word in words { bits.insert(Vocabulary.shared.intern(word.lowercased())) }
    }

    @inline(__always) public func contains(_ token: Token) -> Bool { bits.contains(token.id) }

    /// By vocabulary number: `set.contains(id: tokens[k].id)` reads one field without copying the token.
    @inline(__always) public func contains(id: Int32) -> Bool { bits.contains(id) }

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
