/// Feature names to weight indices, folded into `1 << bits` buckets. A feature is a namespace (a short tag such as
/// "w" for a word) followed by its content; both are hashed as they are read (FNV-1a over bytes and code points), so
/// no string is built per feature: this runs for every token of every comment.
public struct FeatureHasher: Sendable, Equatable {
    public let bits: Int
    public var buckets: Int { 1 << bits }

    public init(bits: Int) {
        precondition((8...24).contains(bits), "feature hashing takes 8 to 24 bits")
        self.bits = bits
    }

    /// The bucket of a finished hash.
    @inline(__always) public func bucket(_ hash: FeatureHash) -> Int32 {
        var h = hash.value
        // Fold the high bits in: FNV's low bits alone spread short names poorly.
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int32(truncatingIfNeeded: h & UInt64(buckets - 1))
    }

    /// The bucket of a feature written out in full.
    public func index(_ name: String) -> Int32 {
        var hash = FeatureHash()
        hash.add(name)
        return bucket(hash)
    }
}

/// A 64-bit FNV-1a hash built up piece by piece.
public struct FeatureHash: Sendable, Equatable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// A hash that starts with a namespace tag ("w", "c", "n-1").
    public init(_ tag: StaticString) {
        tag.withUTF8Buffer { for byte in $0 { add(byte: byte) } }
        add(byte: 0x1F)
    }

    @inline(__always) public mutating func add(byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01b3
    }

    @inline(__always) public mutating func add(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        if v < 0x80 {
            add(byte: UInt8(v))
        } else {
            add(byte: UInt8(truncatingIfNeeded: v >> 16) | 0x80)
            add(byte: UInt8(truncatingIfNeeded: v >> 8))
            add(byte: UInt8(truncatingIfNeeded: v))
        }
    }

    public mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte: byte) }
    }

    /// Joins another finished hash (a word's) into this one.
    @inline(__always) public mutating func add(hash other: FeatureHash) {
        var v = other.value
        for _ in 0..<8 {
            add(byte: UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    /// Separates two parts of a feature ("pair: a | b").
    @inline(__always) public mutating func separate() { add(byte: 0x1E) }
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
