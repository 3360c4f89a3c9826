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
    /// The detectors' categories. (Which rules fired is not a signal: rule ids are the pack's own, and a brand adding
    /// or renaming a rule must not change what the models read.)
    public var categories: [String]

    public init(phi: Bool = false, subject: String = "none", findings: [String] = [], healthSubjects: [String] = [],
                categories: [String] = []) {
        self.phi = phi
        self.subject = subject
        self.findings = findings
        self.healthSubjects = healthSubjects
        self.categories = categories
    }

    public init(analysis: Analysis, categories: [Category]) {
        self.init(phi: analysis.phi, subject: analysis.subject.rawValue,
                  findings: analysis.findings.filter { $0.type.isIdentifier }.map { $0.type.rawValue + ($0.subtype.map { ":" + $0 } ?? "") },
                  healthSubjects: analysis.findings.filter { $0.type == .health }.compactMap(\.subtype),
                  categories: categories.map(\.rawValue))
    }
}

/// The hashed features of one comment for the comment-level models: its words and word pairs, the letter groups
/// inside its words (which carry across spellings, languages and brands), its punctuation and emoji, the shape of
/// its text, the words of the comment it answers, where it was posted, and the rules' signals. Features are hashed as
/// they are read (`FeatureHash`): no string is built per word.
public struct CommentFeatures: Sendable {
    public let hasher: FeatureHasher

    public init(hasher: FeatureHasher) { self.hasher = hasher }

    public func extract(_ text: AnalysedText, context: [ThreadContextEntry], platform: String, kind: String, signals: RuleSignals) -> [Int32] {
        var sink = Buckets()
        sink.values.reserveCapacity(text.tokens.count * 10 + 48)
        extract(text, context: context, platform: platform, kind: kind, signals: signals, into: &sink)
        return sink.values
    }

    /// The features with readable names, for `--explain` (the same features, in the same order).
    public func named(_ text: AnalysedText, context: [ThreadContextEntry], platform: String, kind: String, signals: RuleSignals) -> [(Int32, String)] {
        var sink = NamedBuckets()
        extract(text, context: context, platform: platform, kind: kind, signals: signals, into: &sink)
        return sink.values
    }

    func extract<Sink: FeatureSink>(_ text: AnalysedText, context: [ThreadContextEntry], platform: String, kind: String, signals: RuleSignals,
                                    into out: inout Sink) {
        let lower = text.text.lower
        let words = Self.wordHashes(text)
        var previous: FeatureHash?
        var letters = 0, upper = 0, wordCount = 0
        for (k, token) in text.tokens.enumerated() {
            switch token.kind {
            case .word, .number:
                wordCount += 1
                var unigram = FeatureHash("w")
                unigram.add(hash: words[k])
                out.add(hasher.bucket(unigram)) { "word \"" + Self.word(text, token) + "\"" }
                if let previous {
                    var pair = FeatureHash("b")
                    pair.add(hash: previous)
                    pair.separate()
                    pair.add(hash: words[k])
                    out.add(hasher.bucket(pair)) { "words \"" + Self.word(text, text.tokens[Self.previousWord(text, k)]) + " " + Self.word(text, token) + "\"" }
                }
                previous = words[k]
                if token.kind == .word {
                    letters += token.length
                    upper += token.upperCount
                    if token.length >= 3 { letterGroups(lower, token.start, min(token.end, token.start + 38), into: &out) }
                }
            case .punct, .symbol:
                let c = lower[token.start]
                if token.kind == .symbol || c == "?" || c == "!" || c == "¿" || c == "@" || c == "#" || c == "$" {
                    var mark = FeatureHash("m")
                    mark.add(c)
                    out.add(hasher.bucket(mark)) { "mark \"" + String(c) + "\"" }
                }
            }
        }
        var names: [String] = []
        if letters >= 12, upper * 10 >= letters * 7 { names.append("shape:shouting") }
        names.append("shape:length\(Self.bucket(wordCount))")
        names.append("where:" + platform)
        names.append("where:" + platform + ":" + kind)
        if let parent = context.last {
            names.append("ctx:" + parent.role.rawValue)
            contextWords(parent.text, into: &out)
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
        // The rules that fired are not features: a policy author adding or renaming a rule must not change what the
        // models read (the pack a brand runs is not the one the shipped model was trained with).
        for name in names { out.add(hasher.index(name)) { Self.display(name) } }
        // A feature seen twice counts twice (word counts): no sort or de-duplication per comment.
    }

    /// A rule signal's name as a person reads it in `--explain`.
    static func display(_ name: String) -> String {
        for (prefix, shown) in [("r:h:", "health context about "), ("r:c:", "detector category "), ("r:f:", "finding "),
                                ("r:subject:", "the rules' subject "), ("shape:length", "length class "), ("where:", "posted on ")]
        where name.hasPrefix(prefix) {
            return shown + name.dropFirst(prefix.count)
        }
        return ["r:phi": "the rules' PHI verdict", "r:health": "health context", "shape:shouting": "written in capitals",
                "ctx:none": "not a reply", "ctx:brand": "a reply to the brand", "ctx:user": "a reply to another user"][name] ?? name
    }

    static func word(_ text: AnalysedText, _ token: Token) -> String {
        token.kind == .number ? "#\(token.length) digits" : text.lower(token)
    }

    static func previousWord(_ text: AnalysedText, _ k: Int) -> Int {
        var j = k - 1
        while j > 0, text.tokens[j].kind != .word && text.tokens[j].kind != .number { j -= 1 }
        return max(0, j)
    }

    /// Each token's lower-cased text hashed (numbers as their count of digits: "#3").
    static func wordHashes(_ text: AnalysedText) -> [FeatureHash] {
        let lower = text.text.lower
        return text.tokens.map { token in
            var hash = FeatureHash()
            if token.kind == .number {
                hash.add(byte: UInt8(ascii: "#"))
                hash.add("\(token.length)")
            } else {
                for k in token.start..<token.end { hash.add(lower[k]) }
            }
            return hash
        }
    }

    /// Groups of three and four letters of `<word>` (the brackets mark its ends).
    func letterGroups<Sink: FeatureSink>(_ lower: [Unicode.Scalar], _ start: Int, _ end: Int, into out: inout Sink) {
        let length = end - start + 2
        @inline(__always) func at(_ i: Int) -> Unicode.Scalar { i == 0 ? "<" : (i == length - 1 ? ">" : lower[start + i - 1]) }
        for size in 3...4 where length >= size {
            for first in 0...(length - size) {
                var hash = FeatureHash("c")
                for i in first..<(first + size) { hash.add(at(i)) }
                out.add(hasher.bucket(hash)) { "letters \"" + String(String.UnicodeScalarView((first..<(first + size)).map(at))) + "\"" }
            }
        }
    }

    /// The first 60 words (runs of letters and digits, lower-cased) of the comment answered.
    func contextWords<Sink: FeatureSink>(_ parent: String, into out: inout Sink) {
        var count = 0
        var hash = FeatureHash("cw")
        var inWord = false
        for scalar in parent.unicodeScalars.prefix(2_000) {
            if scalar.properties.isAlphabetic || CharClass.isDigit(scalar) {
                for folded in scalar.properties.lowercaseMapping.unicodeScalars { hash.add(folded) }
                inWord = true
            } else if inWord {
                out.add(hasher.bucket(hash)) { "a word of the comment answered" }
                count += 1
                if count == 60 { return }
                hash = FeatureHash("cw")
                inWord = false
            }
        }
        if inWord { out.add(hasher.bucket(hash)) { "a word of the comment answered" } }
    }

    static func bucket(_ count: Int) -> Int {
        var bucket = 0
        var n = count
        while n > 1 { n >>= 1; bucket += 1 }
        return bucket
    }
}

/// Where extracted features go: buckets only (classifying), or buckets with names (`--explain`).
protocol FeatureSink {
    mutating func add(_ bucket: Int32, name: () -> String)
}

struct Buckets: FeatureSink {
    var values: [Int32] = []
    @inline(__always) mutating func add(_ bucket: Int32, name: () -> String) { values.append(bucket) }
}

struct NamedBuckets: FeatureSink {
    var values: [(Int32, String)] = []
    mutating func add(_ bucket: Int32, name: () -> String) { values.append((bucket, name())) }
}
