/// Characters with the original code-point range each came from; rewriting passes build a new buffer from
/// an old one with `apply(_:)`.
struct CharBuffer {
    var chars: [Unicode.Scalar] = []
    /// The original range of each character; both empty when every character is the original one at the same
    /// place (ASCII text nothing rewrote: no map is built for it).
    var starts: [Int32] = []
    var ends: [Int32] = []

    /// Each character is the original character at its own offset (`starts`/`ends` are not kept).
    var isIdentity: Bool { starts.isEmpty && !chars.isEmpty }

    @inline(__always) func start(_ i: Int) -> Int32 { isIdentity ? Int32(i) : starts[i] }
    @inline(__always) func end(_ i: Int) -> Int32 { isIdentity ? Int32(i + 1) : ends[i] }

    init() {}

    init(capacity: Int) {
        chars.reserveCapacity(capacity)
        starts.reserveCapacity(capacity)
        ends.reserveCapacity(capacity)
    }

    var count: Int { chars.count }

    mutating func append(_ c: Unicode.Scalar, start: Int32, end: Int32) {
        chars.append(c)
        starts.append(start)
        ends.append(end)
    }

    /// One replacement: characters `range` of this buffer become `text`, every new character covering the
    /// original range of the whole replaced stretch.
    struct Edit {
        var range: Range<Int>
        var text: String
    }

    /// A new buffer with `edits` (sorted, non-overlapping) applied.
    func apply(_ edits: [Edit]) -> CharBuffer {
        guard !edits.isEmpty else { return self }
        var out = CharBuffer(capacity: count)
        var i = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where edit.range.lowerBound >= i {
            while i < edit.range.lowerBound {
                out.append(chars[i], start: start(i), end: end(i))
                i += 1
            }
            if !edit.range.isEmpty {
                let start = start(edit.range.lowerBound), end = end(edit.range.upperBound - 1)
                for c in edit.text.unicodeScalars { out.append(c, start: start, end: end) }
            }
            i = edit.range.upperBound
        }
        while i < count {
            out.append(chars[i], start: start(i), end: end(i))
            i += 1
        }
        return out
    }

    /// A word of up to eight ASCII letters lower-cased and packed into an integer, as `Piece.scan` packs the
    /// pieces it finds: a cheap key for comparing short words without building strings.
    static func pack(_ word: String) -> UInt64 {
        word.utf8.reduce(0) { $0 << 8 | UInt64($1 | 0x20) }
    }

    func lowercased(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        for k in range { s.append(CharClass.lowercase(chars[k])) }
        return String(s)
    }
}

/// A run of letters, of digits, of white space, or one other character, in a `CharBuffer`.
struct Piece {
    enum Kind { case letters, digits, space, other }
    var kind: Kind
    var range: Range<Int>
    /// A run of one to eight ASCII letters packed as `CharBuffer.pack` packs a word, else 0: the passes compare
    /// words with their lists without packing a piece again for each list.
    var key: UInt64 = 0
    var length: Int { range.count }

    /// The run of letters starting at `start`: where it ends, whether it is all ASCII, and its letters packed as
    /// `CharBuffer.pack` packs a word (a key only for one to eight ASCII letters).
    @inline(__always) static func letterRun(_ chars: [Unicode.Scalar], from start: Int) -> (end: Int, ascii: Bool, key: UInt64) {
        var i = start
        var key: UInt64 = 0
        var ascii = true
        while i < chars.count, CharClass.isLetter(chars[i]) {
            ascii = ascii && chars[i].value < 128
            key = key << 8 | UInt64(chars[i].value | 0x20)
            i += 1
        }
        return (i, ascii, key)
    }

    static func scan(_ buffer: CharBuffer) -> [Piece] {
        var pieces: [Piece] = []
        // About one piece per two characters in prose ("a word, then a space"): one allocation for most texts.
        pieces.reserveCapacity(buffer.count / 2 + 4)
        let chars = buffer.chars
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let start = i
            let kind: Kind
            if CharClass.isDigit(c) {
                kind = .digits
                while i < chars.count, CharClass.isDigit(chars[i]) { i += 1 }
            } else if CharClass.isLetter(c) {
                let run = letterRun(chars, from: start)
                i = run.end
                pieces.append(Piece(kind: .letters, range: start..<i, key: run.ascii && i - start <= 8 ? run.key : 0))
                continue
            } else if CharClass.isSpace(c) {
                kind = .space
                while i < chars.count, CharClass.isSpace(chars[i]) { i += 1 }
            } else {
                kind = .other
                i += 1
            }
            pieces.append(Piece(kind: kind, range: start..<i))
        }
        return pieces
    }
}
