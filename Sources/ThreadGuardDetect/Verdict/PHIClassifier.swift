import ThreadGuardCore

/// Runs the recognizers and the health-context step over one comment and combines them into a verdict.
public struct PHIClassifier: Sendable {
    public let recognizers: [any Recognizer]
    public let brand: BrandProfile
    let health: PhraseSet
    let relatives: PhraseSet
    let residents: PhraseSet
    let brandPhones: Set<String>

    public init(brand: BrandProfile = BrandProfile(), extraHealthTerms: [String] = []) {
        self.brand = brand
        self.brandPhones = brand.phoneKeys
        recognizers = Self.defaultRecognizers()
        health = PhraseSet(Lexicon.builtIn("health_en") + extraHealthTerms)
        relatives = PhraseSet(Lexicon.builtIn("relatives"))
        residents = PhraseSet(["residents", "seniors", "senior citizens", "patients", "folks", "ladies", "men", "women", "elderly"])
    }

    public static func defaultRecognizers() -> [any Recognizer] {
        [
            PhoneRecognizer(),
            EmailRecognizer(),
            FacilityRecognizer(heads: Lexicon.builtIn("facility_heads")),
            ContextualIDRecognizer(name: "mrn", type: .mrn, context: [
                "mrn", "chart", "chart number", "patient id", "patient number", "record number", "medical record",
                "medical record number", "expediente", "hospital number",
            ]),
            ContextualIDRecognizer(name: "account", type: .accountID, context: [
                "account", "acct", "order", "claim", "case", "rma", "invoice", "ticket", "reference", "ref", "confirmation",
            ]),
            ContextualIDRecognizer(name: "health_plan", type: .healthPlanID, context: [
                "member id", "member number", "group number", "group", "policy number", "medicare", "medicaid",
                "insurance id", "subscriber id",
            ]),
            ContextualIDRecognizer(name: "device_serial", type: .deviceID, context: [
                "serial", "serial number", "sn", "s/n", "lot", "lot number", "udi",
            ]),
        ]
    }

    public func analyse(_ raw: String) -> Analysis {
        let text = AnalysedText(raw)
        var findings: [Finding] = []
        for recognizer in recognizers { recognizer.recognize(text, into: &findings) }
        findings = resolveOverlaps(findings.filter { !isBrandOwned($0, in: text) })
        var explanation: [String] = []

        var healthTerms: [String] = []
        for i in text.tokens.indices {
            if let length = health.matchLength(at: i, in: text.tokens) {
                healthTerms.append(text.tokens[i..<(i + length)].map(\.lower).joined(separator: " "))
                findings.append(text.finding(.health, tokens: i, i + length - 1, score: 0.6, recognizer: "health_lexicon"))
            }
        }
        let facility = findings.contains { $0.subtype == "facility" }
        let subject = whoseHealth(text, facility: facility)
        let identifiers = findings.filter { $0.type.isIdentifier }
        let hasHealth = !healthTerms.isEmpty || (facility && subject == .facilityResidents)
        if !healthTerms.isEmpty { explanation.append("health context: \(healthTerms.count) term(s)") }
        explanation.append("subject: \(subject.rawValue)")
        var score = 0.0
        if hasHealth && subject != .none { score = 0.8 }
        if hasHealth && !identifiers.isEmpty { score = max(score, 0.9) }
        if subject == .facilityResidents && facility { score = max(score, 0.9) }
        let phi = score >= 0.5
        explanation.append("phi score \(score)")
        return Analysis(phi: phi, score: score, findings: findings, categories: [], subject: subject, explanation: explanation)
    }

    func whoseHealth(_ text: AnalysedText, facility: Bool) -> HealthSubject {
        let tokens = text.tokens
        var firstPerson = false
        for i in tokens.indices {
            let word = tokens[i].lower
            if facility, residents.matchLength(at: i, in: tokens) != nil { return .facilityResidents }
            if (word == "my" || word == "our" || word == "mi" || word == "mis"), i + 1 < tokens.count,
               relatives.matchLength(at: i + 1, in: tokens) != nil {
                return .relative
            }
            if word == "i" || word == "my" || word == "me" || word == "i'm" || word == "i've" || word == "mine" { firstPerson = true }
        }
        return firstPerson ? .commenter : .none
    }

    func isBrandOwned(_ finding: Finding, in text: AnalysedText) -> Bool {
        let value = String(String.UnicodeScalarView(text.text.original[finding.start..<finding.end]))
        switch finding.type {
        case .phone: return brandPhones.contains(BrandProfile.phoneKey(value))
        case .email: return brand.owns(email: value)
        default: return false
        }
    }

    /// Keeps the higher-scoring of two overlapping identifier findings (the longer on a tie).
    func resolveOverlaps(_ findings: [Finding]) -> [Finding] {
        let sorted = findings.sorted { ($0.score, $0.end - $0.start) > ($1.score, $1.end - $1.start) }
        var kept: [Finding] = []
        for finding in sorted where !kept.contains(where: { $0.start < finding.end && finding.start < $0.end }) {
            kept.append(finding)
        }
        return kept.sorted { $0.start < $1.start }
    }
}
