/// Which of up to 64 strings (lower-case ASCII) occur in a text, its ASCII letters compared without case, found
/// in one pass over its bytes: a bit table of the strings' first two bytes passes over most positions with one
/// look-up, where searching for each string in turn would read the text once per string.
struct LiteralScanner: Sendable {
    let needles: [[UInt8]]
    /// Bit (first byte << 8 | second byte) is set when some string of two or more bytes starts so.
    private var pairBits = [UInt64](repeating: 0, count: 1 << 10)
    /// The strings of two or more bytes as (first two bytes, number), grouped by a hash of the two bytes:
    /// group g is `pairs[groupStart[g]..<groupStart[g + 1]]` (a dictionary look-up at each hit cost more).
    private var pairs: [(key: Int, needle: Int)] = []
    private var groupStart = [Int](repeating: 0, count: 257)
    /// Strings of one byte: the bits of those equal to each byte.
    private var singles = [UInt64](repeating: 0, count: 256)
    private var hasSingles = false

    /// Nil for more than 64 strings or an empty one.
    init?(_ needles: [[UInt8]]) {
        guard needles.count <= 64, needles.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.needles = needles
        for (n, needle) in needles.enumerated() {
            if needle.count == 1 {
                singles[Int(needle[0])] |= 1 << UInt64(n)
                hasSingles = true
            } else {
                let key = Int(needle[0]) << 8 | Int(needle[1])
                pairBits[key >> 6] |= 1 << UInt64(key & 63)
                pairs.append((key, n))
            }
        }
        pairs.sort { Self.group($0.key) < Self.group($1.key) }
        for pair in pairs { groupStart[Self.group(pair.key) + 1] += 1 }
        for g in 0..<256 { groupStart[g + 1] += groupStart[g] }
    }

    @inline(__always) static func group(_ key: Int) -> Int { (key &* 0x9E37) >> 8 & 255 }

    /// Bit n is set when string n occurs in `text` (UTF-8; ASCII letters of either case).
    func found(in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var found: UInt64 = 0
        guard !text.isEmpty else { return 0 }
        var previous = Self.lower(text[0])
        if hasSingles { found |= singles[Int(previous)] }
        var i = 1
        while i < text.count {
            let current = Self.lower(text[i])
            let key = Int(previous) << 8 | Int(current)
            if pairBits[key >> 6] & (1 << UInt64(key & 63)) != 0 {
                let g = Self.group(key)
                for (pairKey, n) in pairs[groupStart[g]..<groupStart[g + 1]]
                where pairKey == key && found & (1 << UInt64(n)) == 0 && matches(needles[n], text, at: i - 1) {
                    found |= 1 << UInt64(n)
                }
            }
            if hasSingles { found |= singles[Int(current)] }
            previous = current
            i += 1
        }
        return found
    }

    private func matches(_ needle: [UInt8], _ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + needle.count <= text.count else { return false }
        for k in 2..<needle.count where Self.lower(text[start + k]) != needle[k] { return false }
        return true
    }

    /// ASCII upper-case letters to lower case; every other byte as it is.
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }
}
