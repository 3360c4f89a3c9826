import ThreadGuardCore
import ThreadGuardDetect

/// What the deterministic recognizers and the rule pack concluded about a comment. The learned models read these as
/// features beside the words (stacking): they learn where the rules are right and where words say more.
public struct RuleSignals: Sendable, Equatable {
    public var phi: Bool
    public var subject: String
    /// Identifier finding types, with their subtype where the recognizer gave one ("LOCATION:facility").
    public var findings: [String]
    /// Whose health each health mention is about.
    public var healthSubjects: [String]
    public var categories: [String]
    public var rules: [String]

    public init(phi: Bool = false, subject: String = "none", findings: [String] = [], healthSubjects: [String] = [],
                categories: [String] = [], rules: [String] = []) {
        self.phi = phi
        self.subject = subject
        self.findings = findings
        self.healthSubjects = healthSubjects
        self.categories = categories
        self.rules = rules
    }

    public init(analysis: Analysis, categories: [Category], rules: [String]) {
        self.init(phi: analysis.phi, subject: analysis.subject.rawValue,
                  findings: analysis.findings.filter { $0.type.isIdentifier }.map { $0.type.rawValue + ($0.subtype.map { ":" + $0 } ?? "") },
                  healthSubjects: analysis.findings.filter { $0.type == .health }.compactMap(\.subtype),
                  categories: categories.map(\.rawValue), rules: rules)
    }
}

/// The hashed features of one comment for the comment-level models: its words and word pairs, the letter groups
/// inside its words (which carry across spellings, languages and brands), its punctuation and emoji, the shape of
/// its text, the words of the comment it answers, where it was posted, and the rules' signals.
public struct CommentFeatures: Sendable {
    public let hasher: FeatureHasher

    public init(hasher: FeatureHasher) { self.hasher = hasher }

    public func extract(_ text: AnalysedText, context: [ThreadContextEntry], platform: String, kind: String, signals: RuleSignals) -> [Int32] {
        var names: [String] = []
        names.reserveCapacity(text.tokens.count * 8 + 32)
        let words = Self.words(text)
        for (k, word) in words.enumerated() {
            names.append("w:" + word)
            if k + 1 < words.count { names.append("b:" + word + " " + words[k + 1]) }
        }
        var letters = 0, upper = 0
        for token in text.tokens {
            switch token.kind {
            case .word:
                letters += token.length
                upper += token.upperCount
                let lower = text.lower(token)
                if lower.count >= 3 { Self.letterGroups(lower, into: &names) }
            case .punct, .symbol:
                let mark = text.lower(token)
                if mark == "?" || mark == "!" || mark == "¿" || mark == "@" || mark == "#" || mark == "$" || token.kind == .symbol {
                    names.append("m:" + mark)
                }
            case .number:
                break
            }
        }
        if letters >= 12, upper * 10 >= letters * 7 { names.append("shape:shouting") }
        names.append("shape:length\(Self.bucket(words.count))")
        names.append("where:" + platform)
        names.append("where:" + platform + ":" + kind)
        if let parent = context.last {
            names.append("ctx:" + parent.role.rawValue)
            let parentText = AnalysedText(String(parent.text.prefix(2_000)))
            for word in Self.words(parentText).prefix(60) { names.append("cw:" + word) }
        } else {
            names.append("ctx:none")
        }
        if signals.phi { names.append("r:phi") }
        names.append("r:subject:" + signals.subject)
        for finding in signals.findings {
            names.append("r:f:" + finding)
            if let colon = finding.firstIndex(of: ":") { names.append("r:f:" + finding[..<colon]) }
        }
        for subject in signals.healthSubjects { names.append("r:h:" + subject) }
        if !signals.healthSubjects.isEmpty { names.append("r:health") }
        for category in signals.categories { names.append("r:c:" + category) }
        for rule in signals.rules { names.append("r:r:" + rule) }
        var indices = names.map(hasher.index)
        indices.sort()
        return indices.uniqued()
    }

    /// Lower-cased words and numbers (numbers as their count of digits: "#3", "#10").
    static func words(_ text: AnalysedText) -> [String] {
        var out: [String] = []
        out.reserveCapacity(text.tokens.count)
        for token in text.tokens {
            switch token.kind {
            case .word: out.append(text.lower(token))
            case .number: out.append("#\(token.length)")
            default: break
            }
        }
        return out
    }

    /// Groups of three and four letters of `<word>` (the brackets mark its ends).
    static func letterGroups(_ word: String, into names: inout [String]) {
        let scalars = Array(("<" + word + ">").unicodeScalars.prefix(40))
        for size in 3...4 where scalars.count >= size {
            for start in 0...(scalars.count - size) {
                var view = String.UnicodeScalarView()
                view.append("c")
                view.append(contentsOf: scalars[start..<(start + size)])
                names.append(String(view))
            }
        }
    }

    static func bucket(_ count: Int) -> Int {
        var bucket = 0
        var n = count
        while n > 1 { n >>= 1; bucket += 1 }
        return bucket
    }
}

extension Array where Element == Int32 {
    /// A sorted array without repeats.
    func uniqued() -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(count)
        for value in self where out.last != value { out.append(value) }
        return out
    }
}
