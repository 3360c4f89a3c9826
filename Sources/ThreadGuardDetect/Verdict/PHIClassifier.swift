import ThreadGuardCore

/// Runs the recognizers and the health-context step over one comment and combines them into a verdict:
/// identifiers, health context and whose health it is.
public struct PHIClassifier: Sendable {
    public let recognizers: [any Recognizer]
    public let brand: BrandProfile
    let health: HealthContext
    let contacts: BrandContacts

    public init(brand: BrandProfile = BrandProfile(), extraHealthTerms: [String] = [], extraDeviceTerms: [String] = [], extraCareTerms: [String] = []) {
        precondition(LexiconWarmUp.done)
        self.brand = brand
        contacts = BrandContacts(brand)
        recognizers = Self.defaultRecognizers(brand: brand)
        health = HealthContext(extraStrong: extraHealthTerms, extraDevices: brand.products + brand.competitorProducts + extraDeviceTerms, extraCare: extraCareTerms)
    }

    public static func defaultRecognizers(brand: BrandProfile = BrandProfile()) -> [any Recognizer] {
        let lexicons = DetectLexicons.shared
        return [
            PhoneRecognizer(), EmailRecognizer(), SSNRecognizer(), IPRecognizer(), URLRecognizer(brandDomains: brand.domains),
            MBIRecognizer(), VINRecognizer(), RegistryNumberRecognizer(), DateRecognizer(months: lexicons.months),
            AgeRecognizer(), NameRecognizer(lexicons: lexicons, brandNames: brand.names + brand.products + brand.competitors + brand.competitorProducts),
            LocationRecognizer(lexicons: lexicons, brandNames: brand.names + brand.products + brand.competitors + brand.competitorProducts),
            MRNRecognizer.make(), HealthPlanRecognizer.make(), AccountRecognizer.make(), DeviceSerialRecognizer.make(),
            LicenseRecognizer.make(), PlateRecognizer.make(), OtherIDRecognizer.make(),
        ]
    }

    public func analyse(_ raw: String, explain: Bool = false) -> Analysis {
        analyse(AnalysedText(raw), explain: explain)
    }

    /// Analyses text already normalised and split (the policy engine reads the same tokens).
    public func analyse(_ prepared: AnalysedText, explain: Bool = false) -> Analysis {
        var brandContacts: [Range<Int>] = []
        return analyse(prepared, explain: explain, brandContacts: &brandContacts)
    }

    /// `analyse`, also telling where the brand's own phone numbers and e-mail addresses stand (original code points):
    /// never anyone's identifier, whoever proposes a span there.
    public func analyse(_ prepared: AnalysedText, explain: Bool, brandContacts: inout [Range<Int>]) -> Analysis {
        var text = prepared
        text.explain = explain || prepared.explain
        var found: [Finding] = []
        let hasDigits = text.tokens.contains { $0.kind == .number }
        // By index: `for recognizer in` copies each recognizer out of the array, retaining what it holds.
        for k in recognizers.indices where hasDigits || !recognizers[k].needsDigits { recognizers[k].recognize(text, into: &found) }
        // The original scalars are read once: each `text.text` in the loop would copy the normalised text.
        let original = text.text.original
        var kept: [Finding] = []
        for finding in found {
            guard isBrandOwned(finding, original: original) else { kept.append(finding); continue }
            if finding.type == .phone || finding.type == .email { brandContacts.append(finding.start..<finding.end) }
        }
        var findings = resolveOverlaps(kept)
        var explanation: [String] = []

        let people = findings.filter { $0.type == .name && $0.subtype != "staff" }
        let mentions = health.mentions(in: text, people: people)
        for mention in mentions {
            findings.append(text.finding(.health, tokens: mention.first, mention.last, score: 0.6, recognizer: "health_context",
                                         subtype: mention.subject.rawValue, explanation: ["\(mention.tier.rawValue) health term, about: \(mention.subject.rawValue)"]))
        }
        var subjects = Set(mentions.map(\.subject)).subtracting([.none])
        if !subjects.isEmpty {
            if text.explain { explanation.append("health context about \(subjects.map(\.rawValue).sorted().joined(separator: ", "))") }
        }
        // A stay in a named care facility, or a visit to a named ward or site, is health information too.
        let facilities = findings.filter { $0.type == .location && $0.subtype == "facility" }
        let careSites = findings.filter { $0.type == .location && ["site", "care_site", "department", "ward", "room"].contains($0.subtype ?? "") }
        if !facilities.isEmpty || !careSites.isEmpty {
            let cues = health.personCues(in: text, people: people)
            if cues.contains(.facilityResidents) { subjects.insert(.facilityResidents) }
            let selfAtFacility = health.firstPersonNear(facilities, in: text)
            for cue in cues where (cue == .relative || cue == .namedPerson) && !selfAtFacility { subjects.insert(cue) }
            if selfAtFacility { subjects.insert(.commenter) }
            if !facilities.isEmpty, cues.contains(.commenter) { subjects.insert(.commenter) }
            if !subjects.isEmpty { if text.explain { explanation.append("a stay or visit at a named care place") } }
        }
        let subject = Self.mostSensitive(subjects)
        var score = subject == .none ? 0.0 : 0.8
        if score > 0, findings.contains(where: { $0.type.isIdentifier }) {
            score = min(1, score + 0.1)
            if text.explain { explanation.append("identifiers present +0.10") }
        }
        let phi = score >= 0.5
        if text.explain { explanation.append("phi score \(score)") }
        var analysis = Analysis(phi: phi, score: score, findings: findings, categories: [], subject: subject, explanation: explanation)
        if explain { analysis.normalizedText = text.text.string(0, text.text.count) }
        return analysis
    }

    static func mostSensitive(_ subjects: Set<HealthSubject>) -> HealthSubject {
        for subject in [HealthSubject.facilityResidents, .relative, .namedPerson, .commenter] where subjects.contains(subject) { return subject }
        return .none
    }

    func isBrandOwned(_ finding: Finding, original: [Unicode.Scalar]) -> Bool {
        let scalars = original[finding.start..<finding.end]
        return finding.type == .email ? contacts.owns(email: scalars) : contacts.owns(phone: scalars)
    }

    /// Keeps the higher-scoring of two overlapping identifier findings (the longer on a tie).
    /// The best findings that do not overlap one another (highest score, then longest, first). Kept spans are marked
    /// in a map of the text's positions, so each finding costs its own length, not the number kept before it: a
    /// comment with thousands of findings stays linear.
    func resolveOverlaps(_ findings: [Finding]) -> [Finding] {
        let sorted = findings.sorted { ($0.score, $0.end - $0.start) > ($1.score, $1.end - $1.start) }
        var kept: [Finding] = []
        // A handful of findings (nearly every comment): comparing with each kept one is cheaper than a map.
        if findings.count <= 32 {
            for finding in sorted where !kept.contains(where: { $0.start < finding.end && finding.start < $0.end }) { kept.append(finding) }
            return kept.sorted { $0.start < $1.start }
        }
        var covered = [Bool](repeating: false, count: (findings.map(\.end).max() ?? 0) + 1)
        var empties: [Finding] = []
        func overlapsAny(_ finding: Finding, _ list: [Finding]) -> Bool { list.contains { $0.start < finding.end && finding.start < $0.end } }
        for finding in sorted {
            guard finding.start >= 0, finding.start < finding.end else {
                // Empty spans overlap only what strictly surrounds them (rare: checked one by one).
                if !overlapsAny(finding, kept) {
                    kept.append(finding)
                    empties.append(finding)
                }
                continue
            }
            if covered[finding.start..<finding.end].contains(true) || (!empties.isEmpty && overlapsAny(finding, empties)) { continue }
            for k in finding.start..<finding.end { covered[k] = true }
            kept.append(finding)
        }
        return kept.sorted { $0.start < $1.start }
    }
}
