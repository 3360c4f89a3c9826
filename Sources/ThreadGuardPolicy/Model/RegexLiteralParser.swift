/// Reading a pattern into the strings it needs (`RegexLiterals`): a recursive descent over the part of ICU's
/// syntax it understands, giving up (nil) on anything else.
extension RegexLiterals {
    /// What a part of a pattern requires: `exact` lists every string it can match (lower-cased) when they are few
    /// and known; `clauses` are strings that must occur, whatever it matched.
    struct Info {
        var exact: [String]?
        var clauses: [[String]] = []

        static let unknown = Info(exact: nil)
        static let empty = Info(exact: [""])
        /// Exact sets larger than this are given up (a class such as [a-z] times [a-z] would grow fast).
        static let limit = 64

        /// The clauses, with the exact set as one more when it has no empty string.
        func allClauses() -> [[String]] {
            if let exact, !exact.contains("") { return clauses + [exact] }
            return clauses
        }

        /// The clause most likely to be missing from a text: the one whose shortest string is longest.
        func bestClause() -> [String]? {
            allClauses().max { a, b in
                let (x, y) = (a.map(\.count).min() ?? 0, b.map(\.count).min() ?? 0)
                return x != y ? x < y : a.count > b.count
            }
        }
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0
        /// Groups open at `i`: past `maxDepth` the pattern is given up rather than recursed into.
        var depth = 0
        static let maxDepth = 64
        init(_ chars: [Unicode.Scalar]) { self.chars = chars }

        var atEnd: Bool { i == chars.count }

        /// Branches separated by "|", up to ")" or the end; nil when the pattern uses something not understood.
        mutating func branches() -> [Info]? {
            var branches: [Info] = []
            while true {
                guard let branch = concatenation() else { return nil }
                branches.append(branch)
                guard i < chars.count, chars[i] == "|" else { return branches }
                i += 1
            }
        }

        /// Branches as one: each branch's likeliest-missing clause, joined.
        mutating func alternation() -> Info? {
            guard let branches = branches() else { return nil }
            if branches.count == 1 { return branches[0] }
            if branches.allSatisfy({ $0.exact != nil }) {
                let union = Self.unique(branches.flatMap { $0.exact! })
                if union.count <= Info.limit { return Info(exact: union) }
            }
            var clause: [String] = []
            for branch in branches {
                guard let best = branch.bestClause() else { return .unknown }
                clause += best
            }
            return Info(exact: nil, clauses: [Self.unique(clause)])
        }

        mutating func concatenation() -> Info? {
            var clauses: [[String]] = []
            var run: [String] = [""]
            var exact = true
            func flush() {
                if !run.contains("") { clauses.append(run) }
                run = [""]
            }
            while i < chars.count, chars[i] != "|", chars[i] != ")" {
                guard let atom = atom(), let part = quantified(atom) else { return nil }
                clauses += part.clauses
                guard let strings = part.exact else {
                    flush()
                    exact = false
                    continue
                }
                if run.count * strings.count > Info.limit {
                    flush()
                    exact = false
                    run = strings
                } else {
                    run = Self.unique(run.flatMap { head in strings.map { head + $0 } })
                }
            }
            if exact { return Info(exact: run, clauses: clauses) }
            flush()
            return Info(exact: nil, clauses: clauses)
        }

        /// A quantifier after an atom, if any.
        mutating func quantified(_ atom: Info) -> Info? {
            guard i < chars.count else { return atom }
            var low = 0, high: Int? = nil
            switch chars[i] {
            case "?": (low, high) = (0, 1); i += 1
            case "*": (low, high) = (0, nil); i += 1
            case "+": (low, high) = (1, nil); i += 1
            case "{":
                i += 1
                guard let first = number() else { return nil }
                low = first
                high = first
                if i < chars.count, chars[i] == "," {
                    i += 1
                    high = number()
                }
                guard i < chars.count, chars[i] == "}" else { return nil }
                i += 1
            default: return atom
            }
            // Lazy and possessive forms match less, never more.
            if i < chars.count, chars[i] == "?" || chars[i] == "+" { i += 1 }
            if let high, high <= 1 {
                if high == 0 { return .empty }
                if low == 1 { return atom }
                return Info(exact: atom.exact.map { Self.unique($0 + [""]) })
            }
            if low == 0 { return .unknown }
            return Info(exact: nil, clauses: atom.allClauses())
        }

        mutating func number() -> Int? {
            let start = i
            var value = 0
            while i < chars.count, let digit = Int(String(chars[i])), chars[i].isASCII {
                value = value * 10 + digit
                i += 1
                if value > 100_000 { return nil }
            }
            return i > start ? value : nil
        }

        mutating func atom() -> Info? {
            let c = chars[i]
            i += 1
            switch c {
            case "(":
                if i < chars.count, chars[i] == "?" {
                    // Only "(?:" groups and the "i" flag, which changes nothing here: patterns are compiled
                    // case-insensitive.
                    if i + 1 < chars.count, chars[i + 1] == ":" {
                        i += 2
                    } else if i + 2 < chars.count, chars[i + 1] == "i", chars[i + 2] == ")" {
                        i += 3
                        return .empty
                    } else if i + 2 < chars.count, chars[i + 1] == "i", chars[i + 2] == ":" {
                        i += 3
                    } else {
                        return nil
                    }
                }
                guard depth < Self.maxDepth else { return nil }
                depth += 1
                defer { depth -= 1 }
                guard let inner = alternation(), i < chars.count, chars[i] == ")" else { return nil }
                i += 1
                return inner
            case ")", "|", "*", "+", "?", "{", "}": return nil
            case "^", "$": return .empty
            case ".": return .unknown
            case "[": return characterClass()
            case "\\": return escape(inClass: false).map { $0.info }
            default: return Self.literal(c)
            }
        }

        /// One escape: a literal character, a zero-width assertion or a kind of character.
        mutating func escape(inClass: Bool) -> (info: Info, literal: Unicode.Scalar?)? {
            guard i < chars.count else { return nil }
            let c = chars[i]
            i += 1
            switch c {
            case "b", "B", "A", "z", "Z", "G": return inClass ? nil : (.empty, nil)
            case "s", "S", "d", "D", "w", "W", "h", "H", "v", "V", "R", "X": return (.unknown, nil)
            case "t": return (Self.literal("\t"), "\t")
            case "n": return (Self.literal("\n"), "\n")
            case "r": return (Self.literal("\r"), "\r")
            case "f": return (Self.literal("\u{0C}"), "\u{0C}")
            default:
                // Any other letter or digit means something (\p, \x, \1, \Q, \k, …): not understood.
                guard c.isASCII, !c.properties.isAlphabetic, !("0"..."9").contains(c) else { return nil }
                return (Self.literal(c), c)
            }
        }

        /// "[...]": the characters it can match when they are all ASCII and listed, else unknown.
        mutating func characterClass() -> Info? {
            var members: Set<String> = []
            var known = true
            if i < chars.count, chars[i] == "^" {
                known = false
                i += 1
            }
            if i < chars.count, chars[i] == "]" { return nil }
            var previous: Unicode.Scalar?
            while i < chars.count, chars[i] != "]" {
                var c = chars[i]
                i += 1
                // Nested sets and set operations ("&&", "--") are not understood.
                if c == "[" { return nil }
                if c == "&" || c == "-", i < chars.count, chars[i] == c { return nil }
                if c == "\\" {
                    guard let (info, literal) = escape(inClass: true) else { return nil }
                    guard let literal else {
                        if info.exact == nil { known = false }
                        previous = nil
                        continue
                    }
                    c = literal
                } else if c == "-", let low = previous, i < chars.count, chars[i] != "]" {
                    var high = chars[i]
                    i += 1
                    if high == "[" || high == "-" { return nil }
                    if high == "\\" {
                        guard let (_, literal) = escape(inClass: true), let literal else { return nil }
                        high = literal
                    }
                    guard low.value <= high.value else { return nil }
                    if high.value < 128 {
                        for v in low.value...high.value { members.insert(String(Unicode.Scalar(UInt8(v))).lowercased()) }
                    } else {
                        known = false
                    }
                    previous = nil
                    continue
                }
                if c.isASCII { members.insert(String(c).lowercased()) } else { known = false }
                previous = c
            }
            guard i < chars.count else { return nil }
            i += 1
            return known && members.count <= Info.limit ? Info(exact: members.sorted()) : .unknown
        }

        /// An ASCII character matches itself in either case; any other may match ASCII letters case-insensitively.
        static func literal(_ c: Unicode.Scalar) -> Info {
            c.isASCII ? Info(exact: [String(c).lowercased()]) : .unknown
        }

        static func unique(_ strings: [String]) -> [String] {
            var seen = Set<String>()
            return strings.filter { seen.insert($0).inserted }
        }
    }
}
