/// Many phrase sets matched in one pass over a text: which of them occur anywhere in it.
///
/// A policy holds dozens of word lists. Asking each whether it occurs walks the tokens once per list and
/// touches each list's own tables; one index over every list's phrases, keyed by their first one or two words,
/// walks the tokens once.
public final class PhraseIndex: Sendable {
    /// Words that start some phrase of some set.
    private let firstBits: WordBits
    /// Sets keyed by their one-word phrases, and phrases of two or more words keyed by their first two words:
    /// a common first word ("i", "my", "the") starts many phrases, and a key on two words reaches the few that
    /// can match without walking the rest. Entries: the set's number, the phrase's length, its words from the third.
    private let singles: WordPairTable
    private let pairs: WordPairTable
    /// Cheap tests before a table is probed (the tables are larger than the fastest cache; these are not):
    /// words that are whole phrases, and one bit per hashed pair of first words.
    private let singleBits: WordBits
    private let pairBits: [UInt64]
    private static let pairFilterBits = 15
    /// How many sets the index was built from (their numbers are their positions).
    public let count: Int

    public init(_ sets: [PhraseSet]) {
        count = sets.count
        var single: [UInt64: [[Int32]]] = [:]
        var pair: [UInt64: [[Int32]]] = [:]
        var bits = WordBits()
        var singleBits = WordBits()
        var pairBits = [UInt64](repeating: 0, count: (1 << Self.pairFilterBits) / 64)
        for (number, set) in sets.enumerated() {
            for phrase in set.phraseWords {
                guard let first = phrase.first else { continue }
                bits.insert(first)
                if phrase.count == 1 {
                    single[WordPairTable.key(first, -1), default: []].append([Int32(number), 1])
                    singleBits.insert(first)
                } else {
                    let key = WordPairTable.key(first, phrase[1])
                    pair[key, default: []].append([Int32(number), Int32(phrase.count)] + phrase.dropFirst(2))
                    let bit = Self.filterBit(key)
                    pairBits[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
        }
        firstBits = bits
        self.singleBits = singleBits
        self.pairBits = pairBits
        singles = WordPairTable(single)
        pairs = WordPairTable(pair)
    }

    @inline(__always) private static func filterBit(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) >> UInt64(64 - pairFilterBits))
    }

    /// The numbers of the sets with a phrase somewhere in the text.
    public func occurring(in text: AnalysedText) -> PhraseHits {
        var hits = PhraseHits(count: count)
        let tokens = text.tokens
        guard count > 0, firstBits.intersects(text.words) else { return hits }
        tokens.withUnsafeBufferPointer { tokens in
            for k in tokens.indices {
                let id = tokens[k].id
                guard firstBits.contains(id) else { continue }
                if singleBits.contains(id), let (start, end) = singles.range(of: WordPairTable.key(id, -1)) {
                    var p = start
                    while p < end {
                        hits.insert(Int(singles.entries[p + 1]))
                        p += 1 + Int(singles.entries[p])
                    }
                }
                guard k + 1 < tokens.count, tokens[k + 1].id >= 0 else { continue }
                let key = WordPairTable.key(id, tokens[k + 1].id)
                let bit = Self.filterBit(key)
                guard pairBits[bit >> 6] & (1 << UInt64(bit & 63)) != 0, let (start, end) = pairs.range(of: key) else { continue }
                pairs.entries.withUnsafeBufferPointer { entries in
                    var p = start
                    while p < end {
                        // An entry: its size, the set's number, the phrase's length, then its words from the third.
                        let size = Int(entries[p])
                        let set = Int(entries[p + 1])
                        let length = Int(entries[p + 2])
                        if !hits.contains(set), k + length <= tokens.count {
                            var i = 2
                            while i < length, tokens[k + i].id == entries[p + 1 + i] { i += 1 }
                            if i == length { hits.insert(set) }
                        }
                        p += 1 + size
                    }
                }
            }
        }
        return hits
    }
}

/// Set numbers as bits: which sets of a `PhraseIndex` occur in one text.
public struct PhraseHits: Sendable {
    private var bits: [UInt64]

    init(count: Int) {
        bits = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    @inline(__always) public func contains(_ number: Int) -> Bool {
        bits[number >> 6] & (1 << UInt64(number & 63)) != 0
    }

    @inline(__always) mutating func insert(_ number: Int) {
        bits[number >> 6] |= 1 << UInt64(number & 63)
    }
}
