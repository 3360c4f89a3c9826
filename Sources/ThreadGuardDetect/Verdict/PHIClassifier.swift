import ThreadGuardCore

/// Runs the recognizers and the health-context step over one comment and combines them into a verdict:
/// identifiers, health context and whose health it is.
public struct PHIClassifier: Sendable {
    public let recognizers: [any Recognizer]
    public let brand: BrandProfile
    let health: HealthContext
    let brandPhones: Set<String>

    public init(brand: BrandProfile = BrandProfile(), extraHealthTerms: [String] = []) {
        self.brand = brand
        self.brandPhones = brand.phoneKeys
        recognizers = Self.defaultRecognizers(brand: brand)
        health = HealthContext(extraTerms: extraHealthTerms)
    }

    public static func defaultRecognizers(brand: BrandProfile = BrandProfile()) -> [any Recognizer] {
        let lexicons = DetectLexicons.shared
        return [
            PhoneRecognizer(), EmailRecognizer(), SSNRecognizer(), IPRecognizer(), URLRecognizer(brandDomains: brand.domains),
            MBIRecognizer(), VINRecognizer(), RegistryNumberRecognizer(), DateRecognizer(months: lexicons.months),
            AgeRecognizer(), NameRecognizer(lexicons: lexicons, brandNames: brand.names),
            LocationRecognizer(lexicons: lexicons, brandNames: brand.names),
            MRNRecognizer.make(), HealthPlanRecognizer.make(), AccountRecognizer.make(), DeviceSerialRecognizer.make(),
            LicenseRecognizer.make(), PlateRecognizer.make(), OtherIDRecognizer.make(),
        ]
    }

    /// Identifiers that say something about health by themselves (a record number is about care).
    static let healthBearing: Set<FindingType> = [.mrn, .healthPlanID, .deviceID]

    public func analyse(_ raw: String, keepNormalized: Bool = false) -> Analysis {
        let text = AnalysedText(raw)
        var found: [Finding] = []
        for recognizer in recognizers { recognizer.recognize(text, into: &found) }
        var findings = resolveOverlaps(found.filter { !isBrandOwned($0, in: text) })
        var explanation: [String] = []

        let names = findings.filter { $0.type == .name }
        let facilities = findings.filter { $0.type == .location && ["facility", "site", "care_site", "department", "ward", "room"].contains($0.subtype ?? "") }
        let mentions = health.mentions(in: text, names: names, facilities: facilities)
        for mention in mentions {
            findings.append(text.finding(.health, tokens: mention.first, mention.last, score: 0.6, recognizer: "health_context",
                                         subtype: mention.subject.rawValue, explanation: ["health term, about: \(mention.subject.rawValue)"]))
        }
        let subjects = Set(mentions.map(\.subject)).subtracting([.none])
        let identifiers = findings.filter { $0.type.isIdentifier }
        var subject = Self.mostSensitive(subjects)
        var score = 0.0
        if subject != .none {
            score = 0.8
            explanation.append("health context about \(subject.rawValue) (\(mentions.filter { $0.subject != .none }.count) term(s))")
        }
        if identifiers.contains(where: { Self.healthBearing.contains($0.type) }) {
            score = max(score, 0.85)
            if subject == .none { subject = .unknown }
            explanation.append("a record, plan or device number is health information about its owner")
        }
        let residents = facilities.contains { $0.subtype == "facility" } && mentions.contains { $0.subject == .facilityResidents }
        if residents { score = max(score, 0.9) }
        if score > 0, !identifiers.isEmpty {
            score = min(1, score + 0.1)
            explanation.append("identifiers present +0.10")
        }
        let phi = score >= 0.5
        explanation.append("phi score \(score)")
        var analysis = Analysis(phi: phi, score: score, findings: findings, categories: [], subject: subject, explanation: explanation)
        if keepNormalized { analysis.normalizedText = text.text.string(0, text.text.count) }
        return analysis
    }

    static func mostSensitive(_ subjects: Set<HealthSubject>) -> HealthSubject {
        for subject in [HealthSubject.facilityResidents, .relative, .namedPerson, .commenter] where subjects.contains(subject) { return subject }
        return .none
    }

    func isBrandOwned(_ finding: Finding, in text: AnalysedText) -> Bool {
        let value = String(String.UnicodeScalarView(text.text.original[finding.start..<finding.end]))
        if finding.type == .email { return brand.owns(email: value) }
        let digits = BrandProfile.phoneKey(value)
        return digits.count == 10 && brandPhones.contains(digits)
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
