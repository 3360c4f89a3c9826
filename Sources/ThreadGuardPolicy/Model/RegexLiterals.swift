import ThreadGuardCore
import ThreadGuardDetect

/// Words a regular expression cannot match without. A comment that lacks them skips the regex engine, which
/// costs far more than searching for a few strings. It is the prefilter of Google's code search and RE2, for the
/// part of ICU's syntax policies use; any other construct (look-arounds, back-references, `\Q`, `\p`, flags
/// other than `i`, …) gives nothing, and the pattern always runs.
///
/// Under ICU's case-insensitive matching some non-ASCII characters match ASCII letters ("ſ" is "s", "ß" is "ss",
/// the Kelvin sign is "k"): a text holding a non-ASCII character that case folding changes is never ruled out
/// (`foldsToItself`), and a pattern's own non-ASCII characters count as unknown.
public struct RegexLiterals: Sendable {
    /// One entry per top-level alternative of the pattern; each, clauses of which every one must hold; each
    /// clause, strings (lower-case ASCII bytes) of which one must occur. Empty: the pattern always runs.
    public let alternatives: [[[[UInt8]]]]

    /// The strings of every clause, found in one pass, and per alternative, per clause, the bits of its strings.
    let scanner: LiteralScanner?
    let clauseMasks: [[UInt64]]

    public init(_ pattern: String) {
        var parser = Parser(Array(pattern.unicodeScalars))
        var needs: [[[[UInt8]]]] = []
        if let branches = parser.branches(), parser.atEnd {
            needs = branches.map { $0.allClauses().map { $0.map { Array($0.utf8) } } }
        }
        // An alternative that needs nothing can match anything.
        if needs.contains(where: \.isEmpty) { needs = [] }
        var needles: [[UInt8]] = []
        var masks: [[UInt64]] = []
        for clauses in needs {
            masks.append(clauses.map { clause in
                clause.reduce(UInt64(0)) { mask, string in
                    let n = needles.firstIndex(of: string) ?? needles.count
                    if n == needles.count { needles.append(string) }
                    return n < 64 ? mask | 1 << UInt64(n) : mask
                }
            })
        }
        scanner = needs.isEmpty ? nil : LiteralScanner(needles)
        // Past 64 strings the scanner is not made, and nothing is ruled out.
        alternatives = scanner == nil ? [] : needs
        clauseMasks = scanner == nil ? [] : masks
    }

    /// False when the pattern cannot match `text`, given `foldsToItself(text)` (when false, nothing is ruled out).
    public func mayMatch(_ text: String, foldsToItself: Bool) -> Bool {
        guard foldsToItself, let scanner else { return true }
        var text = text
        let found = text.withUTF8 { scanner.found(in: $0) }
        return clauseMasks.contains { clauses in clauses.allSatisfy { found & $0 != 0 } }
    }

    /// Whether every non-ASCII character of the text is its own case folding: then only ASCII letters match an
    /// ASCII letter case-insensitively, and the ASCII strings of a match occur in the text, letters in either case.
    public static func foldsToItself(_ text: String) -> Bool {
        ByteSearch.isASCII(text) || text.unicodeScalars.allSatisfy { $0.isASCII || !CharClass.changesWhenCaseFolded($0) }
    }
}
