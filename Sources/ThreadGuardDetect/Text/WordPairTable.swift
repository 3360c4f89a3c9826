/// An open-addressed table from a packed pair of word numbers (or one word and -1) to a run of a flat array of
/// entries (each: its size, then that many numbers), kept in the order given.
struct WordPairTable: Sendable {
    private let keys: [UInt64]
    private let starts: [Int32]
    private let ends: [Int32]
    let entries: [Int32]
    private static let empty = UInt64.max

    @inline(__always) static func key(_ first: Int32, _ second: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
    }

    init(_ groups: [UInt64: [[Int32]]]) {
        var size = 1
        while size < groups.count * 2 { size <<= 1 }
        var keys = [UInt64](repeating: Self.empty, count: size)
        var starts = [Int32](repeating: 0, count: size)
        var ends = [Int32](repeating: 0, count: size)
        var entries: [Int32] = []
        for (key, list) in groups.sorted(by: { $0.key < $1.key }) {
            var slot = Self.slot(key, size - 1)
            while keys[slot] != Self.empty { slot = (slot + 1) & (size - 1) }
            keys[slot] = key
            starts[slot] = Int32(entries.count)
            for entry in list {
                entries.append(Int32(entry.count))
                entries.append(contentsOf: entry)
            }
            ends[slot] = Int32(entries.count)
        }
        self.keys = keys
        self.starts = starts
        self.ends = ends
        self.entries = entries
    }

    @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always) func range(of key: UInt64) -> (Int, Int)? {
        let mask = keys.count - 1
        var slot = Self.slot(key, mask)
        while true {
            let found = keys[slot]
            if found == key { return (Int(starts[slot]), Int(ends[slot])) }
            if found == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
    }
}
