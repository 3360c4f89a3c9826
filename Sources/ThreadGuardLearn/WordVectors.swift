import Crypto
import Foundation
import ThreadGuardDetect

/// Static vectors of the word pieces of the sentence model all-MiniLM-L6-v2 (Apache-2.0), distilled at build time by
/// `tools/distill_word_vectors.py` (64 dimensions, int8 with a scale per dimension). A comment's vector is the mean of
/// its word pieces' vectors: words nobody labelled still land near words that were ("hives" near "rash").
public final class WordVectors: Sendable {
    public let dimensions: Int
    /// The file's SHA-256 (hex): a model records which vectors it was trained with.
    public let checksum: String
    let scales: [Float]
    /// Row `piece` of `values` (dimensions each), already scaled.
    let values: [Float]
    /// Whole-word pieces by the hash of their text, and continuation pieces ("##ing") likewise.
    let words: [UInt64: Int32]
    let continuations: [UInt64: Int32]
    let unknown: Int32
    /// The mean of all pieces' vectors: every comment's vector shares it, so it says nothing and is taken away.
    let center: [Float]

    public static let shared: WordVectors? = {
        guard let url = Bundle.module.url(forResource: "wordpieces", withExtension: "vectors"),
              let data = try? Data(contentsOf: url) else { return nil }
        return try? WordVectors(data: data)
    }()

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public init(data: Data) throws {
        guard data.count > 16, data.prefix(8) == Data("TGVECS1\0".utf8) else { throw Problem(description: "not a word-vector file") }
        func u32(_ at: Int) -> Int { Int(data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }) }
        let count = u32(8), dims = u32(12)
        var offset = 16
        var scales: [Float] = []
        for k in 0..<dims { scales.append(data.withUnsafeBytes { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset + 4 * k, as: UInt32.self))) }) }
        offset += 4 * dims
        var values = [Float](repeating: 0, count: count * dims)
        var words: [UInt64: Int32] = [:], continuations: [UInt64: Int32] = [:]
        var unknown: Int32 = 0
        try data.withUnsafeBytes { raw in
            for piece in 0..<count {
                guard offset < raw.count else { throw Problem(description: "the word-vector file ends early") }
                let length = Int(raw[offset])
                guard offset + 1 + length + dims <= raw.count else { throw Problem(description: "the word-vector file ends early") }
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: raw[(offset + 1)..<(offset + 1 + length)]), as: UTF8.self)
                offset += 1 + length
                for k in 0..<dims { values[piece * dims + k] = Float(Int8(bitPattern: raw[offset + k])) * scales[k] }
                offset += dims
                if text == "[UNK]" { unknown = Int32(piece) }
                if text.hasPrefix("##") {
                    continuations[Self.key(String(text.dropFirst(2)).unicodeScalars[...])] = Int32(piece)
                } else if !text.hasPrefix("[") {
                    words[Self.key(text.unicodeScalars[...])] = Int32(piece)
                }
            }
        }
        dimensions = dims
        var center = [Float](repeating: 0, count: dims)
        for piece in 0..<count { for k in 0..<dims { center[k] += values[piece * dims + k] / Float(count) } }
        self.center = center
        self.scales = scales
        self.values = values
        self.words = words
        self.continuations = continuations
        self.unknown = unknown
        checksum = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func key(_ scalars: Substring.UnicodeScalarView) -> UInt64 {
        var hash = FeatureHash()
        for scalar in scalars { hash.add(scalar) }
        return hash.value
    }

    /// The comment's vector: the mean of its word pieces' (BERT's uncased pieces: lower case, accents dropped, split at
    /// punctuation, longest piece first), centred and shrunk for short comments; zeros when it has none.
    public func mean(_ text: AnalysedText) -> [Float] {
        var sum = [Float](repeating: 0, count: dimensions)
        var pieces = 0
        let lower = text.text.lower
        values.withUnsafeBufferPointer { v in sum.withUnsafeMutableBufferPointer { total in
            for token in text.tokens where token.kind == .word || token.kind == .number {
                // Most words are one piece: their hash is read straight off the lower-cased text.
                var hash = FeatureHash()
                var ascii = true
                for k in token.start..<min(token.end, token.start + 100) {
                    let c = lower[k]
                    ascii = ascii && c.value < 128
                    hash.add(c)
                }
                if ascii, let whole = words[hash.value] {
                    RowSums.add(v, row: Int(whole) * dimensions, into: total)
                    pieces += 1
                    continue
                }
                var word = String.UnicodeScalarView()
                for k in token.start..<min(token.end, token.start + 100) {
                    let c = lower[k]
                    if c.value < 128 {
                        word.append(c)
                        continue
                    }
                    // Accents dropped as BERT's uncased tokenizer drops them.
                    for scalar in String(c).decomposedStringWithCanonicalMapping.unicodeScalars
                    where scalar.properties.generalCategory != .nonspacingMark {
                        word.append(scalar)
                    }
                }
                for piece in self.pieces(word) where piece != unknown {
                    RowSums.add(v, row: Int(piece) * dimensions, into: total)
                    pieces += 1
                }
            }
        } }
        guard pieces > 0 else { return sum }
        // Centred (the part every comment shares says nothing), made unit length (the direction carries the meaning),
        // then shrunk by pieces / (pieces + 8): a three-word comment's direction is a weak guess and must not weigh
        // like a paragraph's (measured leave-one-world-out: AE recall 0.835 → 0.877, and short generic comments
        // such as "Thanks for the help" no longer read as spam).
        for k in 0..<dimensions { sum[k] -= center[k] * Float(pieces) }
        var norm: Float = 0
        for k in 0..<dimensions { norm += sum[k] * sum[k] }
        guard norm > 0 else { return sum }
        let scale = Float(pieces) / Float(pieces + 8) / norm.squareRoot()
        for k in 0..<dimensions { sum[k] *= scale }
        return sum
    }

    /// Greedy longest-match word pieces of a lower-cased word.
    func pieces(_ word: String.UnicodeScalarView) -> [Int32] {
        let scalars = Array(word)
        if let whole = words[Self.key(word[...])] { return [whole] }
        var out: [Int32] = []
        var start = 0
        while start < scalars.count {
            // The longest piece from `start`: each prefix's hash extends the one before (one pass, not one per end).
            var hash = FeatureHash()
            var found: (piece: Int32, end: Int)?
            let table = start == 0 ? words : continuations
            for end in (start + 1)...scalars.count {
                hash.add(scalars[end - 1])
                if let piece = table[hash.value] { found = (piece, end) }
            }
            guard let (piece, end) = found else { return [unknown] }
            out.append(piece)
            start = end
        }
        return out
    }
}
