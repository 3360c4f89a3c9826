/// An open-addressed table from a word packed into an integer (`VocabularyIndex.key`: one to eight ASCII
/// characters, never zero) to a number: one multiply and a probe per look-up, no string hashing. The vocabulary
/// numbers its short words with one; `PackedKeySet` below keeps words without numbers.
struct PackedKeyTable: Sendable {
    /// A key beside its number: a look-up reads one cache line, where keys and numbers in two arrays cost two.
    private struct Slot {
        var key: UInt64
        var value: Int32
    }

    private var slots: [Slot]
    private let mask: Int

    /// Room for `count` keys at no more than half load.
    init(capacity count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, value: -1), count: size)
        mask = size - 1
    }

    @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    /// Sets the key's number (a key added twice keeps the later number).
    mutating func insert(_ key: UInt64, _ value: Int32) {
        var slot = Self.slot(key, mask)
        while slots[slot].key != 0, slots[slot].key != key { slot = (slot + 1) & mask }
        slots[slot] = Slot(key: key, value: value)
    }

    /// The key's number, or -1 when it is not in the table.
    @inline(__always) func value(_ key: UInt64) -> Int32 {
        slots.withUnsafeBufferPointer { slots in
            var slot = Self.slot(key, mask)
            while true {
                let found = slots[slot]
                if found.key == key { return found.value }
                if found.key == 0 { return -1 }
                slot = (slot + 1) & mask
            }
        }
    }
}

/// Packed words alone, without numbers: a name list is asked only whether it holds a word, so each slot is one
/// integer and the table is filled to two thirds. Given names and surnames, probed for many capitalised tokens,
/// then take a quarter of the cache a `PackedKeyTable` of them would.
struct PackedKeySet: Sendable {
    private var keys: [UInt64]
    private let mask: Int

    init(capacity count: Int) {
        var size = 16
        while size < count + count / 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    mutating func insert(_ key: UInt64) {
        var slot = PackedKeyTable.slot(key, mask)
        while keys[slot] != 0, keys[slot] != key { slot = (slot + 1) & mask }
        keys[slot] = key
    }

    @inline(__always) func contains(_ key: UInt64) -> Bool {
        keys.withUnsafeBufferPointer { keys in
            var slot = PackedKeyTable.slot(key, mask)
            while true {
                let found = keys[slot]
                if found == key { return true }
                if found == 0 { return false }
                slot = (slot + 1) & mask
            }
        }
    }
}
