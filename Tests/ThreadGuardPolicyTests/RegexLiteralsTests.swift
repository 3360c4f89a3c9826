import Foundation
import Testing
@testable import ThreadGuardPolicy

/// A regex check runs only on comments holding the strings its pattern needs (`RegexLiterals`). Skipping must
/// never hide a match: checked against ICU itself on generated patterns and texts.
@Suite("regex literals")
struct RegexLiteralsTests {
    /// Per alternative, its clauses, each sorted.
    static func needs(_ pattern: String) -> [[[String]]] {
        RegexLiterals(pattern).alternatives.map { $0.map { $0.map { String(decoding: $0, as: UTF8.self) }.sorted() } }
    }

    @Test("the strings a pattern needs, for literals, classes, groups, alternatives and quantifiers")
    func derivedClauses() {
        #expect(Self.needs("Took") == [[["took"]]])
        #expect(Self.needs(#"\bshows?\b"#) == [[["show", "shows"]]])
        #expect(Self.needs("[Ee]rror|[Cc]ode") == [[["error"]], [["code"]]])
        #expect(Self.needs("(?:[Ee]rror|[Cc]ode)") == [[["code", "error"]]])
        #expect(Self.needs(#"\b[A-C]-\d{2}\b"#) == [[["a-", "b-", "c-"]]])
        #expect(Self.needs(#"(?i)\bfor \d+ (?:days|weeks)\b.{0,40}\b(?:pending|no reply)"#) == [[["for "], [" days", " weeks"], ["no reply", "pending"]]])
        // Inside a group, each alternative gives the clause likeliest to be missing.
        #expect(Self.needs("(?:took \\d+ days|\\d+ (?:and|with) no)x") == [[[" and no", " with no", "took "], ["x"]]])
        #expect(Self.needs("(?:ab)+c") == [[["ab"], ["c"]]])
        #expect(Self.needs("a(?:b|c*)d") == [[["a"], ["d"]]])
        #expect(Self.needs("a{2,3}") == [[["a"]]])
        #expect(Self.needs("x[^a]y") == [[["x"], ["y"]]])
        #expect(Self.needs(#"a\.b"#) == [[["a.b"]]])
        #expect(Self.needs("héllo") == [[["h"], ["llo"]]], "a non-ASCII letter may match ASCII letters")
        // Nothing is needed, or the syntax is not understood: the pattern always runs.
        for pattern in ["a*", "a|b*", "(?:ab)?", #"\d+"#, #"\p{L}oo"#, #"\Qfoo\E"#, "(?x) f o o", "(?-i)foo", "(?=foo)foo",
                        #"(a)\1"#, "[[a-z]&&[^b]]x", "[a--b]", "a{,2}", #"\x41bc"#] {
            #expect(Self.needs(pattern).isEmpty, "\(pattern)")
        }
        // Groups nested past the reader's depth are given up, not recursed into.
        #expect(Self.needs(String(repeating: "(?:", count: 10_000) + "a" + String(repeating: ")", count: 10_000)).isEmpty)
        #expect(Self.needs(String(repeating: "(?:", count: 20) + "took" + String(repeating: ")", count: 20)) == [[["took"]]])
    }

    @Test("a text is ruled out only when none of its non-ASCII characters is changed by case folding")
    func foldsToItself() {
        for text in ["ſ", "\u{212A}", "ß", "É", "ﬆ", "İ", "ẞ"] { #expect(!RegexLiterals.foldsToItself("took " + text), "\(text)") }
        #expect(RegexLiterals.foldsToItself("Took é’😀 ñ ¿"))
        // ICU agrees: no character that folds to itself matches an ASCII character case-insensitively.
        var scalars = String.UnicodeScalarView()
        for value in UInt32(0x80)..<0x11_0000 {
            if let scalar = Unicode.Scalar(value), RegexLiterals.foldsToItself(String(scalar)) { scalars.append(scalar) }
        }
        let text = String(scalars)
        #expect(text.unicodeScalars.count > 100_000)
        let ascii = try! NSRegularExpression(pattern: "[\\x{00}-\\x{7F}]", options: [.caseInsensitive])
        #expect(ascii.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil)
    }

    @Test("the shipped pack's patterns need words that most comments lack")
    func shippedPatterns() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let policies = try PolicyLoader.load(directory: url.appendingPathComponent("Policies").path)
        var patterns = 0
        for rule in policies.detectors + policies.rules {
            for check in rule.checks {
                guard case .regex(let boxes) = check.matcher else { continue }
                for box in boxes {
                    patterns += 1
                    #expect(!box.literals.alternatives.isEmpty, "\(box.pattern)")
                    #expect(!box.literals.mayMatch("My order is LATE and nobody answers ’😀", foldsToItself: true))
                }
            }
        }
        #expect(patterns >= 2)
    }

    /// Random patterns over a few letters and the constructs above, against random texts: whenever ICU finds a
    /// match, the literals must allow it.
    @Test("never rules out a text ICU matches, on 1,500 generated patterns")
    func neverHidesAMatch() throws {
        // A linear congruential generator: the same patterns and texts on every run.
        var state: UInt64 = 21
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        let atoms = ["a", "b", "A", "c", "ab", "ba", "-", " ", ".", #"\b"#, #"\s"#, #"\d"#, "[ab]", "[A-B]", "[^a]", "[a-c-]",
                     "ſ", "\u{212A}", "k", "ss", "ß", "^", "$", #"\."#, "1", "(?i)"]
        let quantifiers = ["", "", "", "?", "*", "+", "{2}", "{1,2}", "{0,1}", "??", "+?", "{0}"]
        func pattern(_ depth: Int) -> String {
            let count = 1 + Int(next() % 4)
            var parts: [String] = []
            for _ in 0..<count {
                // Groups take only bounded quantifiers: "(?:a*)*" would make ICU backtrack for minutes.
                if depth < 2, next() % 4 == 0 {
                    parts.append("(?:\(pattern(depth + 1)))" + pick(["", "?", "{2}", "{1,2}", "{0,1}"]))
                    continue
                }
                let atom = pick(atoms)
                parts.append(atom + (atom == "(?i)" || atom == #"\b"# || atom == "^" || atom == "$" ? "" : pick(quantifiers)))
            }
            let branch = parts.joined()
            return next() % 5 == 0 ? branch + "|" + pattern(depth + 1) : branch
        }
        let letters = ["a", "b", "c", "A", "B", "k", "K", "s", "S", " ", "-", ".", "1", "ß", "ſ", "\u{212A}", "é", "É", "ﬆ", "’", "😀"]
        var matches = 0, skipped = 0
        for _ in 0..<1_500 {
            let source = pattern(0)
            guard let regex = try? NSRegularExpression(pattern: source, options: [.caseInsensitive]) else { continue }
            let literals = RegexLiterals(source)
            for _ in 0..<25 {
                let text = (0..<Int(next() % 9)).map { _ in pick(letters) }.joined()
                let matched = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                let may = literals.mayMatch(text, foldsToItself: RegexLiterals.foldsToItself(text))
                if matched {
                    matches += 1
                    #expect(may, "pattern \(source) matches \(text.unicodeScalars.map(\.value))")
                } else if !may {
                    skipped += 1
                }
            }
        }
        #expect(matches > 3_000 && skipped > 3_000, "both outcomes are exercised")
    }
}
