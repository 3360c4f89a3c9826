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
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}
