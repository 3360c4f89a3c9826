/// Feature names to weight indices: FNV-1a over the name's bytes, folded into `1 << bits` buckets. Names are built
/// once per feature as short strings; collisions between rare features are what a hashed linear model accepts in
/// exchange for a fixed size.
public struct FeatureHasher: Sendable, Equatable {
    public let bits: Int
    public var buckets: Int { 1 << bits }

    public init(bits: Int) {
        precondition((8...24).contains(bits), "feature hashing takes 8 to 24 bits")
        self.bits = bits
    }

    public func index(_ name: String) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // Fold the high bits in: FNV's low bits alone spread short names poorly.
        hash ^= hash >> 29
        return Int32(truncatingIfNeeded: hash & UInt64(buckets - 1))
    }
}

/// A deterministic pseudo-random sequence (SplitMix64): the same seed gives the same shuffles, so the same data
/// and seed give a byte-identical model.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The indices `0..<count` in a shuffled order (Fisher–Yates with this generator).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}
