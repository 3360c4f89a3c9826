/// Many phrase sets matched in one pass over a text: which of them occur anywhere in it.
///
/// A policy holds a hundred word lists. Asking each whether it occurs walks the tokens once per list and
/// touches each list's own tables; one index over every list's phrases, keyed by first word, walks the tokens
/// once and touches one table.
public final class PhraseIndex: Sendable {
    /// Words that start some phrase of some set.
    private let firstBits: WordBits
    /// Word number → its group of entries (-1: starts none). Dense up to the highest first word.
    private let groupOf: [Int32]
    /// Group g's entries are `entries[groupStart[g]..<groupStart[g + 1]]`.
    private let groupStart: [Int32]
    /// Per entry: the set's number, the phrase's length, then its words after the first.
    private let entries: [Int32]
    /// How many sets the index was built from (their numbers are their positions).
    public let count: Int

    public init(_ sets: [PhraseSet]) {
        count = sets.count
        var byFirst: [Int32: [(set: Int32, words: [Int32])]] = [:]
        var bits = WordBits()
        for (number, set) in sets.enumerated() {
            for phrase in set.phraseWords {
                guard let first = phrase.first else { continue }
                byFirst[first, default: []].append((Int32(number), phrase))
                bits.insert(first)
            }
        }
        var groupOf = [Int32](repeating: -1, count: Int(byFirst.keys.max() ?? -1) + 1)
        var groupStart: [Int32] = []
        var entries: [Int32] = []
        for first in byFirst.keys.sorted() {
            groupOf[Int(first)] = Int32(groupStart.count)
            groupStart.append(Int32(entries.count))
            // Shorter phrases first: a one-word phrase settles its set without looking further.
            for entry in byFirst[first]!.sorted(by: { ($0.words.count, $0.set) < ($1.words.count, $1.set) }) {
                entries.append(entry.set)
                entries.append(Int32(entry.words.count))
                entries.append(contentsOf: entry.words.dropFirst())
            }
        }
        groupStart.append(Int32(entries.count))
        self.firstBits = bits
        self.groupOf = groupOf
        self.groupStart = groupStart
        self.entries = entries
    }

    /// The numbers of the sets with a phrase somewhere in the text.
    public func occurring(in text: AnalysedText) -> PhraseHits {
        var hits = PhraseHits(count: count)
        let tokens = text.tokens
        guard count > 0, firstBits.intersects(text.words) else { return hits }
        tokens.withUnsafeBufferPointer { tokens in
            entries.withUnsafeBufferPointer { entries in
                for k in tokens.indices {
                    let id = tokens[k].id
                    guard firstBits.contains(id) else { continue }
                    let group = Int(groupOf[Int(id)])
                    var p = Int(groupStart[group])
                    let end = Int(groupStart[group + 1])
                    while p < end {
                        let set = Int(entries[p])
                        let length = Int(entries[p + 1])
                        if !hits.contains(set), k + length <= tokens.count {
                            var i = 1
                            while i < length, tokens[k + i].id == entries[p + 1 + i] { i += 1 }
                            if i == length { hits.insert(set) }
                        }
                        p += 1 + length
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
