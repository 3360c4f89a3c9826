/// Joins characters spread out to dodge filters: "S B 0 0 7 1 4 4 8 2", "6 1 4 . 5 5 5 . 0 1 6 2",
/// "0.0.7.7.2.1.9.4.5", "K G Y 4 4 0 9". A run of at least four single letters or digits, at least three of
/// them digits, separated by spaces or single . - / marks, loses its spaces; where every group is one
/// character long the marks go too. Bracketed dots ("198[.]51[.]100") become plain dots.
enum SpreadCharacters {
    /// The rewritten buffer, and whether anything changed (so the caller can reuse `pieces`).
    static func rewrite(_ buffer: CharBuffer, pieces: [Piece]) -> (buffer: CharBuffer, changed: Bool) {
        // A run needs three single digits and a bracketed dot an opening bracket: most comments have neither,
        // and one cheap pass says so.
        var singleDigits = 0
        var bracket = false
        for piece in pieces {
            if piece.kind == .digits, piece.length == 1 { singleDigits += 1 }
            if piece.kind == .other, buffer.chars[piece.range.lowerBound] == "[" || buffer.chars[piece.range.lowerBound] == "(" { bracket = true }
        }
        guard singleDigits >= 3 || bracket else { return (buffer, false) }
        var edits: [CharBuffer.Edit] = []
        // Reused from one candidate run to the next: most single letters ("I", "a") start no run at all.
        var singles: [Int] = []
        var gaps: [Int] = []
        var k = 0
        while k < pieces.count {
            // "[.]" and "(.)"
            if k + 2 < pieces.count, pieces[k].kind == .other, pieces[k + 1].kind == .other, pieces[k + 2].kind == .other,
               buffer.chars[pieces[k + 1].range.lowerBound] == ".",
               ("[" == buffer.chars[pieces[k].range.lowerBound] && "]" == buffer.chars[pieces[k + 2].range.lowerBound])
                || ("(" == buffer.chars[pieces[k].range.lowerBound] && ")" == buffer.chars[pieces[k + 2].range.lowerBound]) {
                edits.append(.init(range: pieces[k].range.lowerBound..<pieces[k + 2].range.upperBound, text: "."))
                k += 3
                continue
            }
            guard isSingle(pieces[k]) else { k += 1; continue }
            singles.removeAll(keepingCapacity: true)
            gaps.removeAll(keepingCapacity: true)
            singles.append(k)
            var j = k + 1
            while j < pieces.count {
                var probe = j
                var gap: [Int] = []
                if pieces[probe].kind == .space, pieces[probe].length <= 2 { gap.append(probe); probe += 1 }
                if probe < pieces.count, pieces[probe].kind == .other, ".-/".unicodeScalars.contains(buffer.chars[pieces[probe].range.lowerBound]) {
                    // "x. Y" (space after only) ends a sentence rather than joining a spread-out code.
                    let spaceBefore = probe > j
                    let spaceAfter = probe + 1 < pieces.count && pieces[probe + 1].kind == .space
                    if spaceAfter && !spaceBefore { break }
                    gap.append(probe)
                    probe += 1
                    if probe < pieces.count, pieces[probe].kind == .space, pieces[probe].length <= 2 { gap.append(probe); probe += 1 }
                }
                guard probe < pieces.count, isSingle(pieces[probe]) else { break }
                singles.append(probe)
                gaps += gap
                j = probe + 1
            }
            let digitCount = singles.filter { pieces[$0].kind == .digits }.count
            if singles.count >= 4, digitCount >= 3 {
                let marks = gaps.filter { pieces[$0].kind == .other }
                // Groups between marks: drop the marks when every group is a single character.
                var groupSizes: [Int] = []
                var size = 0
                var gapIndex = 0
                for (n, single) in singles.enumerated() {
                    size += 1
                    if n + 1 < singles.count {
                        let between = gaps[gapIndex...].prefix { $0 < singles[n + 1] }
                        gapIndex += between.count
                        if between.contains(where: { pieces[$0].kind == .other }) {
                            groupSizes.append(size)
                            size = 0
                        }
                    }
                    _ = single
                }
                groupSizes.append(size)
                let dropMarks = groupSizes.allSatisfy { $0 == 1 }
                for gap in gaps where pieces[gap].kind == .space || (dropMarks && marks.contains(gap)) {
                    edits.append(.init(range: pieces[gap].range, text: ""))
                }
                k = singles.last! + 1
            } else {
                k += 1
            }
        }
        return (buffer.apply(edits), !edits.isEmpty)
    }

    static func isSingle(_ piece: Piece) -> Bool {
        (piece.kind == .digits || piece.kind == .letters) && piece.length == 1
    }
}
