/// Rebuilds email addresses written to dodge filters: "name at gmail dot com", "x (at) comcast (dot) net",
/// "c.moreau [at] lyon-hebdo [point] fr", "luz arroba gmail punto com", "gwen dot albright at yahoo dot com".
/// Only rewrites when the right-hand side ends in a known top-level domain or a known mail provider.
enum ObfuscatedEmail {
    static let atWords: Set<String> = ["at", "arroba"]
    static let dotWords: Set<String> = ["dot", "punto", "point"]
    static let topLevel: Set<String> = [
        "com", "net", "org", "edu", "gov", "mil", "io", "me", "co", "uk", "us", "ca", "fr", "de", "es", "mx", "it",
        "nl", "au", "info", "biz", "app", "dev", "ai", "ly", "ie", "be", "ch", "br", "ar", "cl", "pe", "in", "jp",
    ]
    static let providers: Set<String> = ["gmail", "yahoo", "hotmail", "outlook", "icloud", "aol", "protonmail", "proton", "live", "msn", "comcast"]

    static let packedAt = atWords.map(CharBuffer.pack)
    static let packedDot = dotWords.map(CharBuffer.pack)
    static let packedProviders = providers.filter { $0.utf8.count <= 8 }.map(CharBuffer.pack)
    /// Providers' names too long to pack, as lower-case bytes.
    static let longProviders = providers.filter { $0.utf8.count > 8 }.map { Array($0.utf8) }

    /// `words` is `packedAt` or `packedDot`: packed keys, so no string is built per piece.
    static func isWord(_ piece: Piece, _ buffer: CharBuffer, in words: [UInt64]) -> Bool {
        piece.kind == .letters && piece.length <= 6 && piece.key != 0 && words.contains(piece.key)
    }

    /// A separator word, bare or in brackets: returns the pieces it spans and its word.
    static func bracketed(_ pieces: [Piece], _ k: Int, _ buffer: CharBuffer, words: [UInt64]) -> (first: Int, last: Int)? {
        guard k < pieces.count else { return nil }
        if isWord(pieces[k], buffer, in: words) { return (k, k) }
        if pieces[k].kind == .other, k + 2 < pieces.count, "([{".unicodeScalars.contains(buffer.chars[pieces[k].range.lowerBound]),
           isWord(pieces[k + 1], buffer, in: words),
           pieces[k + 2].kind == .other, ")]}".unicodeScalars.contains(buffer.chars[pieces[k + 2].range.lowerBound]) {
            return (k, k + 2)
        }
        return nil
    }

    static func isLabel(_ piece: Piece) -> Bool { piece.kind == .letters || piece.kind == .digits }

    /// The rewritten buffer, and whether anything changed (so the caller can reuse `pieces`).
    static func rewrite(_ buffer: CharBuffer, pieces: [Piece]) -> (buffer: CharBuffer, changed: Bool) {
        var edits: [CharBuffer.Edit] = []
        var k = 0
        while k < pieces.count {
            guard let at = bracketed(pieces, k, buffer, words: packedAt) else { k += 1; continue }
            // Left: the local part must touch the at-word (with or without one space).
            var left = at.first - 1
            if left >= 0, pieces[left].kind == .space { left -= 1 }
            guard left >= 0, isLabel(pieces[left]) else { k = at.last + 1; continue }
            // Right: label (sep label)+ ending in a TLD, or a lone provider name.
            var r = at.last + 1
            if r < pieces.count, pieces[r].kind == .space { r += 1 }
            guard r < pieces.count, isLabel(pieces[r]) else { k = at.last + 1; continue }
            var labels = [r]
            var dots: [(first: Int, last: Int)] = []
            var cursor = r + 1
            while cursor < pieces.count {
                var probe = cursor
                if pieces[probe].kind == .other, buffer.chars[pieces[probe].range.lowerBound] == "-", probe + 1 < pieces.count, isLabel(pieces[probe + 1]) {
                    labels.append(probe + 1)
                    cursor = probe + 2
                    continue
                }
                if pieces[probe].kind == .space { probe += 1 }
                var dot: (first: Int, last: Int)?
                if probe < pieces.count, pieces[probe].kind == .other, buffer.chars[pieces[probe].range.lowerBound] == "." {
                    // A literal dot inside an address touches both labels; ". " ends a sentence.
                    let spaced = probe != cursor || (probe + 1 < pieces.count && pieces[probe + 1].kind == .space)
                    if spaced { break }
                    dot = (probe, probe)
                } else {
                    dot = bracketed(pieces, probe, buffer, words: packedDot)
                }
                guard let found = dot else { break }
                var next = found.last + 1
                if next < pieces.count, pieces[next].kind == .space { next += 1 }
                guard next < pieces.count, isLabel(pieces[next]) else { break }
                dots.append((cursor, found.last))
                labels.append(next)
                cursor = next + 1
            }
            let last = buffer.lowercased(pieces[labels.last!].range)
            let valid = (labels.count >= 2 && topLevel.contains(last))
                || (labels.count == 1 && providers.contains(last))
                || (labels.count >= 2 && providers.contains(buffer.lowercased(pieces[labels[0]].range)))
            guard valid else { k = at.last + 1; continue }
            // Extend the local part left over "name dot name" chains.
            var localStart = left
            while localStart >= 2 {
                var probe = localStart - 1
                if pieces[probe].kind == .space { probe -= 1 }
                guard probe >= 0, let dot = bracketedEnding(pieces, probe, buffer) else { break }
                var before = dot - 1
                if before >= 0, pieces[before].kind == .space { before -= 1 }
                guard before >= 0, isLabel(pieces[before]) else { break }
                edits.append(.init(range: pieces[before + 1].range.lowerBound..<pieces[localStart].range.lowerBound, text: "."))
                localStart = before
            }
            edits.append(.init(range: pieces[left + 1].range.lowerBound..<pieces[at.last + 1].range.lowerBound, text: "@"))
            if at.last + 1 < r { edits.append(.init(range: pieces[at.last + 1].range, text: "")) }
            for dot in dots {
                let range = pieces[dot.first].range.lowerBound..<pieces[dot.last + 1].range.lowerBound
                let nextIsSpace = dot.last + 1 < pieces.count && pieces[dot.last + 1].kind == .space
                let end = nextIsSpace ? pieces[dot.last + 1].range.upperBound : range.upperBound
                edits.append(.init(range: range.lowerBound..<end, text: "."))
            }
            k = labels.last! + 1
        }
        return (buffer.apply(edits), !edits.isEmpty)
    }

    /// The first piece of a dot-word (bare or bracketed) ending at piece `k`.
    static func bracketedEnding(_ pieces: [Piece], _ k: Int, _ buffer: CharBuffer) -> Int? {
        if isWord(pieces[k], buffer, in: packedDot) { return k }
        if k >= 2, pieces[k].kind == .other, ")]}".unicodeScalars.contains(buffer.chars[pieces[k].range.lowerBound]),
           isWord(pieces[k - 1], buffer, in: packedDot),
           pieces[k - 2].kind == .other, "([{".unicodeScalars.contains(buffer.chars[pieces[k - 2].range.lowerBound]) {
            return k - 2
        }
        return nil
    }
}
