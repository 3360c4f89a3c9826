import Foundation
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardStore

/// Analyses a comment and applies the policies to it: what `classify` prints and what the pipeline records.
public struct Judge: Sendable {
    public let classifier: PHIClassifier
    public let engine: PolicyEngine
    public let replyGuard: ReplyGuard
    /// The learned detectors, when a model is loaded: they decide `phi`, whose health, the categories and the
    /// identifier spans; the rules still decide the actions.
    public let learned: LearnedJudgement?

    public init(policies: PolicySet, models: LearnedModels? = nil) {
        learned = models.map(LearnedJudgement.init)
        classifier = PHIClassifier(brand: policies.brand, extraHealthTerms: policies.healthTerms,
                                   extraDeviceTerms: policies.deviceTerms, extraCareTerms: policies.careTerms)
        engine = PolicyEngine(policies: policies)
        replyGuard = ReplyGuard(confirmations: policies.lexicons["care_confirmation"] ?? [], classifier: classifier,
                                brandValues: Array(policies.variables.values) + policies.brand.phones + policies.brand.emails,
                                brandDomains: policies.brand.domains)
    }

    /// A drafted reply for a decision, and why it must wait for a person if the reply guard refuses it.
    public func draftReply(for decision: Decision, analysis: Analysis, subject: Subject) -> (text: String?, refusal: String?) {
        guard let reply = engine.draftReply(for: decision, language: Judge.language(of: subject.text), platform: subject.platform) else {
            return (nil, nil)
        }
        var covered = ReplyGuard.covered(analysis, in: subject.text)
        for entry in subject.context where entry.role == .user {
            covered += ReplyGuard.covered(classifier.analyse(entry.text), in: entry.text)
        }
        return (reply, replyGuard.check(reply, covered: covered)?.reason)
    }

    /// The short public reply for platforms without private messages: the `public_redirect` template when the
    /// policies define it, else the decision's own template; checked by the reply guard like any draft.
    public func draftRedirect(for decision: Decision, analysis: Analysis, subject: Subject) -> (text: String?, refusal: String?) {
        var redirect = decision
        if engine.hasTemplate("public_redirect") { redirect.replyTemplate = "public_redirect" }
        return draftReply(for: redirect, analysis: analysis, subject: subject)
    }

    /// Why a reply may not go out (it holds an identifier, repeats what a finding covers anywhere in the thread,
    /// or confirms a care relationship), or nil when it may. Texts with stored findings are not classified again;
    /// the brand's own posts cover nothing.
    public func checkDraft(_ draft: String, thread: [ThreadText]) -> String? {
        var covered: [(type: FindingType, text: String)] = []
        for entry in thread where !entry.isBrand {
            if let stored = entry.findings {
                let scalars = Array(entry.text.unicodeScalars)
                for finding in stored {
                    guard let type = FindingType(rawValue: finding.type), type.isIdentifier, finding.start >= 0,
                          finding.start < finding.end, finding.end <= scalars.count else { continue }
                    covered.append((type, String(String.UnicodeScalarView(scalars[finding.start..<finding.end]))))
                }
            } else {
                covered += ReplyGuard.covered(classifier.analyse(entry.text), in: entry.text)
            }
        }
        return replyGuard.check(draft, covered: covered)?.reason
    }

    /// `checkDraft` against the item's whole stored thread; a thread that cannot be read refuses the reply.
    public func checkReply(_ draft: String, item: ItemRecord, database: any Store) -> String? {
        guard let thread = try? database.threadTexts(of: item) else { return "the thread could not be read to check the reply" }
        return checkDraft(draft, thread: thread)
    }

    /// What a person is about to send, read by the reply guard: nil when every text may go; otherwise the first
    /// refusal, recorded in the audit log as `reply.refused` by `actor` (never the text). `edited`: the person wrote
    /// the text rather than approving the drafts.
    public func refusal(of texts: [String], edited: Bool, item: ItemRecord, actor: String, database: any Store) throws -> String? {
        for text in texts {
            guard let refusal = checkReply(text, item: item, database: database) else { continue }
            try database.appendAudit(AuditEntry(at: Date(), actor: "user:\(actor)", event: "reply.refused", itemID: item.id,
                                                 detail: edited ? "edited reply refused by the reply guard" : "drafted reply refused by the reply guard"))
            return refusal
        }
        return nil
    }

    /// One comment and what is known about it.
    public struct Subject: Sendable {
        public var text: String
        public var context: [ThreadContextEntry]
        public var platform: Platform
        public var kind: ItemKind
        public var author: String
        public var isBrand: Bool
        public var ageHours: Double
        public var siblings: [String]

        public init(text: String, context: [ThreadContextEntry] = [], platform: Platform = .facebook, kind: ItemKind = .comment,
                    author: String = "", isBrand: Bool = false, ageHours: Double = 0, siblings: [String] = []) {
            self.text = text
            self.context = context
            self.platform = platform
            self.kind = kind
            self.author = author
            self.isBrand = isBrand
            self.ageHours = ageHours
            self.siblings = siblings
        }
    }

    /// At most this many characters (code points) of a comment, and of each text around it, are analysed: the work
    /// per comment is bounded whatever its size. A longer comment is judged on its beginning and always queued for a
    /// person (rule `input.too_long`), who reads the rest.
    public static let maxAnalysedScalars = 65_536
    public static let tooLongRule = "input.too_long"

    /// The text cut to `maxAnalysedScalars`, and whether it was cut.
    public static func capped(_ text: String) -> (String, Bool) {
        guard text.utf8.count > maxAnalysedScalars else { return (text, false) }
        let scalars = text.unicodeScalars
        guard let end = scalars.index(scalars.startIndex, offsetBy: maxAnalysedScalars, limitedBy: scalars.endIndex), end < scalars.endIndex else {
            return (text, false)
        }
        return (String(scalars[..<end]), true)
    }

    public func judge(_ subject: Subject, explain: Bool = false) -> (Analysis, Decision, PolicyEngine.Outcome) {
        guard let learned else { return judgeByRules(subject, explain: explain) }
        let reading = read(subject, explain: explain)
        let (analysis, categories) = learned.revise(reading.input.analysis, outcome: reading.detectors, text: reading.input.text,
                                                    subject: subject, brandContacts: reading.brandContacts, explain: explain)
        // The rules decide once, on the models' verdicts, reading the same input (its phrase hits and text checks).
        reading.input.analysis = analysis
        return decide(reading.input, cut: reading.cut, categories: categories)
    }

    /// The verdict of the recognizers and the rule pack alone.
    public func judgeByRules(_ subject: Subject, explain: Bool = false) -> (Analysis, Decision, PolicyEngine.Outcome) {
        let (input, cut, _) = prepare(subject, explain: explain)
        return decide(input, cut: cut)
    }

    /// What the recognizers and the detectors made of a comment before any rule decides: what the learned models read.
    public struct Reading {
        /// The text, the recognizers' analysis and the rest a rule can look at.
        public let input: PolicyInput
        /// The detectors' outcome: their categories (no rule has been evaluated).
        public let detectors: PolicyEngine.Outcome
        /// Where the brand's own phone numbers and e-mail addresses stand (original code points): never anyone's identifier.
        public let brandContacts: [Range<Int>]
        let cut: Bool
    }

    public func read(_ subject: Subject, explain: Bool = false) -> Reading {
        let (input, cut, brandContacts) = prepare(subject, explain: explain)
        return Reading(input: input, detectors: engine.evaluate(input, detectorsOnly: true), brandContacts: brandContacts, cut: cut)
    }

    func prepare(_ subject: Subject, explain: Bool) -> (input: PolicyInput, cut: Bool, brandContacts: [Range<Int>]) {
        let (raw, cut) = Self.capped(subject.text)
        let context = subject.context.map { ThreadContextEntry(role: $0.role, text: Self.capped($0.text).0) }
        let text = AnalysedText(raw)
        var brandContacts: [Range<Int>] = []
        let analysis = classifier.analyse(text, explain: explain, brandContacts: &brandContacts)
        let input = PolicyInput(text: text, raw: raw, analysis: analysis, platform: subject.platform, kind: subject.kind,
                                author: subject.author, isBrand: subject.isBrand, ageHours: subject.ageHours,
                                context: context, siblings: subject.siblings.map { Self.capped($0).0 })
        return (input, cut, brandContacts)
    }

    /// The rules' decision on the input's analysis; `categories` (the learned models') stand in for the detectors'.
    func decide(_ input: PolicyInput, cut: Bool, categories: [Category]? = nil) -> (Analysis, Decision, PolicyEngine.Outcome) {
        var outcome = engine.evaluate(input, categories: categories)
        var analysis = input.analysis
        analysis.categories = outcome.categories
        if cut {
            if !outcome.decision.actions.contains(.review) { outcome.decision.actions.append(.review) }
            outcome.decision.rules.append(Self.tooLongRule)
            analysis.explanation.append("only the first \(Self.maxAnalysedScalars) characters were analysed; a person must read the rest")
        }
        return (analysis, outcome.decision, outcome)
    }

    public func judge(text: String, context: [ThreadContextEntry] = [], platform: Platform = .facebook, kind: ItemKind = .comment,
                      explain: Bool = false) -> (Analysis, Decision) {
        let (analysis, decision, _) = judge(Subject(text: text, context: context, platform: platform, kind: kind), explain: explain)
        return (analysis, decision)
    }

    /// The adverse-event criteria the findings can fill: whose health, which products, which events.
    public func intake(for analysis: Analysis, text: String) -> AdverseEventIntake {
        let lower = text.lowercased()
        let brand = engine.policies.brand
        var products = (brand.products + brand.competitorProducts).filter { lower.contains($0.lowercased()) }
        if products.isEmpty {
            // No product name: the kind of device or medicine is still a suspect product for the safety team.
            let words = Set(lower.split { !$0.isLetter }.map(String.init))
            products = ((engine.policies.lexicons["devices"] ?? []) + (engine.policies.lexicons["medicines"] ?? []))
                .filter { words.contains($0.lowercased()) }
        }
        let scalars = Array(text.unicodeScalars)
        var terms: [String] = []
        for finding in analysis.findings where finding.type == .health && finding.end <= scalars.count {
            let term = String(String.UnicodeScalarView(scalars[finding.start..<finding.end])).lowercased()
            if !terms.contains(term), terms.count < 8 { terms.append(term) }
        }
        let relation = analysis.phi ? analysis.subject.rawValue : "none"
        return AdverseEventIntake(patientRelation: relation, products: products, eventTerms: terms)
    }

    /// A rough language guess for choosing a template variant: Spanish when its common words dominate.
    /// Runs for every drafted reply, so ASCII text is lower-cased and split by byte; other text goes through
    /// `lowercased()` and Unicode properties as before.
    public static func language(of text: String) -> String? {
        var spanish = 0, english = 0
        var word = String.UnicodeScalarView()
        func count() {
            guard !word.isEmpty else { return }
            let found = String(word)
            if spanishWords.contains(found) { spanish += 1 } else if englishWords.contains(found) { english += 1 }
            word = String.UnicodeScalarView()
        }
        if ByteSearch.isASCII(text) {
            for byte in text.utf8 {
                let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
                if lower >= 97 && lower <= 122 { word.append(Unicode.Scalar(lower)) } else { count() }
            }
        } else {
            for scalar in text.lowercased().unicodeScalars {
                if scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark {
                    word.append(scalar)
                } else {
                    count()
                }
            }
        }
        count()
        return spanish >= 2 && spanish > english ? "es" : nil
    }

    static let spanishWords: Set<String> = [
        "el", "la", "los", "las", "de", "que", "y", "en", "mi", "por", "para", "con", "es", "una", "se", "lo", "muy", "pero",
        "gracias", "tengo", "está",
    ]
    static let englishWords: Set<String> = ["the", "and", "is", "my", "to", "of", "it", "for", "in", "this", "that", "with", "i", "you", "was", "have"]
}
