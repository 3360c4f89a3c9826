import ThreadGuardCore

/// Web addresses that point at a person's page, fundraiser or photo: a URL with a path. Bare domains, link
/// shorteners and IP hosts (the stuff of spam) and the brand's own domains are not identifiers.
public struct URLRecognizer: Recognizer {
    public let name = "url"
    let brandDomains: [String]
    static let ownSite = PhraseSet(["my website", "my site", "my blog", "my page", "my homepage", "my home page", "my portfolio",
                                    "my web site", "website", "mi página", "mi sitio", "mi blog", "mon site"])
    static let shorteners = WordSet(["bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "buff.ly", "rebrand.ly", "cutt.ly", "is.gd", "shorturl.at"])

    public init(brandDomains: [String] = []) {
        self.brandDomains = brandDomains.map { $0.lowercased() }
    }

    public func recognize(_ text: AnalysedText, into findings: inout [Finding]) {
        let lower = text.text.lower
        // Every URL this finds has a "/" (a path): text without one has none.
        guard lower.contains("/") else { return }
        var i = 0
        while i < lower.count {
            guard Self.startsURL(lower, i) else { i += 1; continue }
            var j = i
            while j < lower.count, !CharClass.isSpace(lower[j]), !Self.endsURL(lower[j]) { j += 1 }
            while j > i, Self.trailingPunctuation(lower[j - 1]) { j -= 1 }
            let url = String(String.UnicodeScalarView(lower[i..<j]))
            var rest = url
            for prefix in ["https://", "http://"] where rest.hasPrefix(prefix) { rest = String(rest.dropFirst(prefix.count)) }
            let host = String(rest.prefix { $0 != "/" && $0 != "?" })
            let path = rest.dropFirst(host.count)
            let bareHost = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
            let isBrand = brandDomains.contains { bareHost == $0 || bareHost.hasSuffix("." + $0) }
            func isIPHost() -> Bool {
                bareHost.split(separator: ".").count == 4 && bareHost.split(separator: ".").allSatisfy { $0.allSatisfy(\.isNumber) }
            }
            // A bare domain is a person's when the text says so ("my website is …", "Website: …").
            var own: String?
            if path.count <= 1, let token = text.tokens.firstIndex(where: { $0.start >= i }) {
                own = text.contextBefore(token, window: 5, phrases: Self.ownSite)
            }
            if path.count > 1 || own != nil, !isBrand, !Self.shorteners.contains(bareHost), !isIPHost(), bareHost.contains(".") {
                let site = bareHost.split(separator: ".").suffix(2).joined(separator: ".")
                findings.append(text.finding(.url, chars: i, j, score: 0.85, recognizer: name,
                                             explanation: [own.map { "a web address on \(site) the text calls its own ('\($0)')" } ?? "a web address with a path on \(site)"]))
            }
            i = max(j, i + 1)
        }
    }

    /// Characters that end a URL: `"<>()[]{}|`.
    @inline(__always) static func endsURL(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "\"", "<", ">", "(", ")", "[", "]", "{", "}", "|": return true
        default: return false
        }
    }

    /// Punctuation after a URL rather than part of it: `.,;:!?'…`.
    @inline(__always) static func trailingPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case ".", ",", ";", ":", "!", "?", "'", "…": return true
        default: return false
        }
    }

    static let http = Array("http://".unicodeScalars), https = Array("https://".unicodeScalars), www = Array("www.".unicodeScalars)

    /// `http://`, `https://`, `www.`, or `name.tld/` at a word start.
    static func startsURL(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        guard CharClass.isASCIILetter(s[i]) || CharClass.isDigit(s[i]) else { return false }
        guard i == 0 || !(CharClass.isLetter(s[i - 1]) || CharClass.isDigit(s[i - 1]) || s[i - 1] == "." || s[i - 1] == "@" || s[i - 1] == "/") else { return false }
        func has(_ prefix: [Unicode.Scalar]) -> Bool {
            guard i + prefix.count <= s.count else { return false }
            for (k, c) in prefix.enumerated() where s[i + k] != c { return false }
            return true
        }
        if (s[i] == "h" && (has(http) || has(https))) || (s[i] == "w" && has(www)) { return true }
        // name.tld/…
        var j = i
        var dots = 0
        while j < s.count, CharClass.isLetter(s[j]) || CharClass.isDigit(s[j]) || s[j] == "-" || s[j] == "." {
            if s[j] == "." { dots += 1 }
            j += 1
        }
        return dots >= 1 && j < s.count && s[j] == "/" && j > i && s[j - 1] != "."
    }
}
