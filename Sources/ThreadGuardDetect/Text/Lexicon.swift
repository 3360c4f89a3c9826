import Foundation

/// A word list: built-in files shipped with the program, plus any `*.txt` a policy author adds.
public enum Lexicon {
    /// Lines of a built-in lexicon (`Lexicons/NAME.txt`), without comments and blanks.
    public static func builtIn(_ name: String) -> [String] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Lexicons"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return lines(text)
    }

    /// Lines of a lexicon file on disk.
    public static func file(_ path: String) throws -> [String] {
        lines(try String(contentsOfFile: path, encoding: .utf8))
    }

    public static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = trimmingSpaces(content)
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// `trimmingCharacters(in: .whitespaces)` without going through NSString, which made loading the lexicons a
    /// fifth of `classify`'s start-up. Foundation's set is the tab, the space separators and U+200B (zero width
    /// space, a space separator in early Unicode); a test compares the two over every code point.
    static func trimmingSpaces(_ text: Substring) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
