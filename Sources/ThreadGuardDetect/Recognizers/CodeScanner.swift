/// Finds the extent of an identifier code starting at a token: letters and digits joined directly or by
/// - / . (optionally spaced dashes), and space-separated groups when they continue a code
/// ("HSS 441920-03", "SB 0061 8827", "RE3 4410 7726 01", "RE2 - 0918 - 33710").
enum CodeScanner {
    struct Code {
        var first: Int
        var last: Int
        var digits: Int
        var letters: Int
        var length: Int { digits + letters }
    }

    static func isAllUpper(_ token: Token) -> Bool { token.upperCount == token.length }

    static func scan(at start: Int, in tokens: [Token], _ text: AnalysedText) -> Code? {
        guard start < tokens.count else { return nil }
        let first = tokens[start]
        guard first.kind == .number || first.kind == .word else { return nil }
        if first.kind == .word, !isAllUpper(first), !(start + 1 < tokens.count && !tokens[start + 1].spaceBefore && tokens[start + 1].kind == .number) {
            return nil  // a lower-case word is not a code unless digits are glued to it (gwbarnes47)
        }
        var code = Code(first: start, last: start, digits: 0, letters: 0)
        var i = start
        while i < tokens.count {
            let token = tokens[i]
            // "RE2 - 0918 - 33710": a spaced dash between groups.
            if token.is("-"), token.spaceBefore, i + 1 < tokens.count, tokens[i + 1].kind == .number, tokens[i + 1].spaceBefore,
               code.digits > 0 || code.letters > 0 {
                i += 1
                continue
            }
            if i > start, token.spaceBefore {
                // A space continues the code only into another group with digits, after a code-like start.
                guard token.kind == .number || (token.kind == .word && isAllUpper(token) && i + 1 < tokens.count && !tokens[i + 1].spaceBefore && tokens[i + 1].kind == .number),
                      code.digits > 0 || (code.letters <= 5 && isAllUpper(tokens[code.last]))
                else { break }
                if token.kind == .number, token.length < 2, code.digits >= 4 { break }
            }
            if token.kind == .number {
                code.digits += token.length
                code.last = i
            } else if token.kind == .word {
                if i > start, token.spaceBefore, !isAllUpper(token) { break }
                // A letter whose lower case is more than one character (packed words are ASCII: never).
                if !isAllUpper(token), token.key == 0, text.lower(token) != text.lower(token).lowercased() { break }
                code.letters += token.length
                code.last = i
            } else if token.is("-") || token.is("/") || token.is(".") || token.is("_"), i + 1 < tokens.count,
                      tokens[i + 1].kind == .number || tokens[i + 1].kind == .word,
                      !tokens[i + 1].spaceBefore || (token.is("-") && token.spaceBefore && tokens[i + 1].kind == .number) {
                if token.is(".") && tokens[i + 1].spaceBefore { break }
                if token.is(".") && tokens[i + 1].kind == .word && !isAllUpper(tokens[i + 1]) { break }
            } else {
                break
            }
            i += 1
        }
        return code.digits > 0 ? code : nil
    }
}
