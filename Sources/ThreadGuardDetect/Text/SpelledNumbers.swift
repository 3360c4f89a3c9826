/// Rewrites digits spelled out in English and Spanish ("five five five, oh one two five", "cinco cinco cinco",
/// "6 one 4", "four four one dash two nine") into digits, when they form a run long enough to be a number
/// someone is giving out. Single number words in prose ("one of my two kids") are left alone.
enum SpelledNumbers {
    static let words: [String: String] = [
        "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
        "eight": "8", "nine": "9", "cero": "0", "uno": "1", "una": "1", "dos": "2", "tres": "3", "cuatro": "4",
        "cinco": "5", "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
    ]
    /// Zero only next to other digits.
    static let weakZero: Set<String> = ["oh", "o"]
    static let dashWords: Set<String> = ["dash", "guion", "guión", "hyphen"]
    /// The number words packed (`CharBuffer.pack`), with the digit each spells: one probe per word.
    static let packedDigits: PackedKeyTable = {
        var table = PackedKeyTable(capacity: words.count)
        for (word, digit) in words { table.insert(CharBuffer.pack(word), Int32(digit)!) }
        return table
    }()
    static let digitText = (0...9).map(String.init)

    /// The digit a packed word spells, if any.
    @inline(__always) static func digit(packed key: UInt64, in table: PackedKeyTable) -> Int32? {
        let digit = table.value(key)
        return digit >= 0 ? digit : nil
    }
    static let packedWeakZero: [UInt64] = weakZero.map(CharBuffer.pack)
    static let packedDash: [UInt64] = ["dash", "guion", "hyphen"].map(CharBuffer.pack)

    static func isDashWord(_ piece: Piece, _ buffer: CharBuffer) -> Bool {
        if piece.key != 0 { return packedDash.contains(piece.key) }
        return buffer.lowercased(piece.range) == "guión"
    }

    /// The rewritten buffer, and whether anything changed (so the caller can reuse `pieces`).
    static func rewrite(_ buffer: CharBuffer, pieces: [Piece]) -> (buffer: CharBuffer, changed: Bool) {
        // Most comments spell no digit at all: one cheap pass finds out before any run is built.
        let digits = packedDigits
        let spellsADigit = pieces.contains { piece in
            piece.kind == .letters && piece.length >= 3 && piece.length <= 6 && piece.key != 0
                && digit(packed: piece.key, in: digits) != nil
        }
        guard spellsADigit else { return (buffer, false) }
        var edits: [CharBuffer.Edit] = []
        var i = 0
        while i < pieces.count {
            // A run needs two items at least (one spelled digit is too short, one written number spells nothing):
            // most number words in prose ("one of my two kids") are rejected here without building anything.
            guard isItem(pieces[i], buffer, previousIsDigit: false), let next = nextItemPiece(after: i, pieces, buffer),
                  isItem(pieces[next], buffer, previousIsDigit: true),
                  let first = item(pieces[i], buffer, previousIsDigit: false), first.isDigit else { i += 1; continue }
            // Extend the run: items separated by spaces and , - . ( ) or a dash word.
            var items: [(piece: Int, value: String, spelled: Bool)] = [(i, first.value, first.spelled)]
            var separators: [Int] = []
            var j = i + 1
            var pendingSeparators: [Int] = []
            while j < pieces.count {
                let piece = pieces[j]
                if separatesItems(piece, buffer) {
                    pendingSeparators.append(j)
                    j += 1
                    continue
                }
                guard let next = item(piece, buffer, previousIsDigit: true), next.isDigit else { break }
                items.append((j, next.value, next.spelled))
                separators += pendingSeparators
                pendingSeparators = []
                j += 1
            }
            let spelled = items.filter(\.spelled).count
            let digits = items.reduce(0) { $0 + $1.value.count }
            if spelled >= 1, digits >= 4, spelled >= 2 || digits >= 7 {
                for entry in items where entry.spelled {
                    edits.append(.init(range: pieces[entry.piece].range, text: entry.value))
                }
                let singleDigitItems = Set(items.filter { $0.value.count == 1 }.map(\.piece))
                for s in separators {
                    let piece = pieces[s]
                    if piece.kind == .space, singleDigitItems.contains(s - 1), singleDigitItems.contains(s + 1) {
                        edits.append(.init(range: piece.range, text: ""))  // "four one nine" → "419"
                    } else if piece.kind == .letters {
                        edits.append(.init(range: piece.range, text: "-"))
                    } else if piece.kind == .other, buffer.chars[piece.range.lowerBound] == "," {
                        let spaceFollows = s + 1 < pieces.count && pieces[s + 1].kind == .space
                        edits.append(.init(range: piece.range, text: spaceFollows ? "" : " "))
                    }
                }
            }
            i = items.last!.piece + 1
        }
        return (buffer.apply(edits), !edits.isEmpty)
    }

    static func isSeparator(_ c: Unicode.Scalar) -> Bool { c == "," || c == "-" || c == "." || c == "(" || c == ")" }

    /// Spaces, the marks , - . ( ) and dash words: what may stand between the items of a run.
    static func separatesItems(_ piece: Piece, _ buffer: CharBuffer) -> Bool {
        piece.kind == .space || (piece.kind == .other && isSeparator(buffer.chars[piece.range.lowerBound]))
            || (piece.kind == .letters && isDashWord(piece, buffer))
    }

    /// The first piece after `i` that does not separate items, if any.
    static func nextItemPiece(after i: Int, _ pieces: [Piece], _ buffer: CharBuffer) -> Int? {
        var j = i + 1
        while j < pieces.count, separatesItems(pieces[j], buffer) { j += 1 }
        return j < pieces.count ? j : nil
    }

    /// What a piece is as an item of a run: digits as written, or the digit a word spells.
    enum ItemKind {
        case written
        case spelled(String)
    }

    static func itemKind(_ piece: Piece, _ buffer: CharBuffer, previousIsDigit: Bool) -> ItemKind? {
        switch piece.kind {
        case .digits:
            return piece.length <= 4 ? .written : nil
        case .letters:
            let key = piece.key
            guard piece.length <= 6, key != 0 else { return nil }
            if let digit = digit(packed: key, in: packedDigits) { return .spelled(digitText[Int(digit)]) }
            if previousIsDigit, packedWeakZero.contains(key) { return .spelled("0") }
            return nil
        case .space, .other:
            return nil
        }
    }

    /// Whether the piece is an item, without making its text.
    static func isItem(_ piece: Piece, _ buffer: CharBuffer, previousIsDigit: Bool) -> Bool {
        itemKind(piece, buffer, previousIsDigit: previousIsDigit) != nil
    }

    static func item(_ piece: Piece, _ buffer: CharBuffer, previousIsDigit: Bool) -> (isDigit: Bool, value: String, spelled: Bool)? {
        switch itemKind(piece, buffer, previousIsDigit: previousIsDigit) {
        case .written?: return (true, String(String.UnicodeScalarView(buffer.chars[piece.range])), false)
        case .spelled(let digit)?: return (true, digit, true)
        case nil: return nil
        }
    }
}

