/// Error texts that may travel to logs, stderr, the database and the audit log, made safe first: the query string
/// of every URL in them is cut (tokens and ids travel there: `?access_token=…`), and anything that looks like a
/// credential (`access_token=…`, `Bearer …`, `key=…`, a long run of token characters) is replaced by `[redacted]`.
public enum Redaction {
    public static func scrub(_ text: String) -> String {
        var words: [Substring] = []
        var redactNext = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if redactNext, !word.isEmpty {
                words.append("[redacted]")
                redactNext = false
                continue
            }
            let lower = word.lowercased()
            if lower == "bearer" || lower == "basic" {
                redactNext = true
                words.append(word)
                continue
            }
            words.append(Substring(scrubWord(word)))
        }
        return words.joined(separator: " ")
    }

    static let secretKeys = ["access_token", "token", "key", "secret", "password", "passwd", "client_secret", "refresh_token", "code",
                             "signature", "sig", "auth", "apikey", "api_key"]

    static func scrubWord(_ word: Substring) -> String {
        var text = String(word)
        // A URL keeps its scheme, host and path only.
        if let scheme = text.range(of: "://"), let query = text.range(of: "?", range: scheme.upperBound..<text.endIndex) {
            let tail = text[query.lowerBound...]
            let end = tail.firstIndex(where: { $0 == "\"" || $0 == "'" || $0 == ")" || $0 == ">" || $0 == "," }) ?? text.endIndex
            text.replaceSubrange(query.lowerBound..<end, with: "?[query removed]")
        }
        // name=value pairs whose name says secret.
        for key in secretKeys {
            var search = text.startIndex
            while let found = text.range(of: key + "=", options: .caseInsensitive, range: search..<text.endIndex) {
                let valueEnd = text[found.upperBound...].firstIndex(where: { "&,;\"' )".contains($0) }) ?? text.endIndex
                text.replaceSubrange(found.upperBound..<valueEnd, with: "[redacted]")
                search = text.index(found.upperBound, offsetBy: "[redacted]".count, limitedBy: text.endIndex) ?? text.endIndex
            }
        }
        // A long unbroken run of token characters (a bare token echoed back).
        let core = text.trimmingCharacters(in: CharacterSetLite.punctuation)
        if core.count >= 32, core.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~+/=".contains($0)) }),
           core.contains(where: \.isNumber), core.contains(where: \.isLetter) {
            return text.replacingOccurrences(of: core, with: "[redacted]")
        }
        return text
    }
}

/// Punctuation that may wrap a word in a message.
enum CharacterSetLite {
    static let punctuation: Set<Character> = ["\"", "'", "(", ")", "[", "]", "{", "}", ",", ";", ":", "<", ">", "."]
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var start = startIndex, end = endIndex
        while start < end, set.contains(self[start]) { start = index(after: start) }
        while end > start, set.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
