import Foundation
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardLearn
import ThreadGuardPolicy

/// Applies the learned models to a comment the rules have judged: the calibrated `phi`, whose health and category
/// probabilities replace the rules' verdicts, and the tagger's identifier spans join the recognizers' fixed-shape
/// ones. The rules then decide the actions from these.
public struct LearnedJudgement: Sendable {
    public let models: LearnedModels
    let commentFeatures: CommentFeatures
    let tokenFeatures: TokenFeatures
    let ruleTypes: Set<FindingType>

    public init(models: LearnedModels) {
        self.models = models
        commentFeatures = CommentFeatures(hasher: models.comments.linear.hasher)
        tokenFeatures = TokenFeatures(hasher: models.tagger.hasher)
        ruleTypes = Set(models.ruleTypes.compactMap(FindingType.init(rawValue:)))
    }

    public func revise(_ analysis: Analysis, outcome: PolicyEngine.Outcome, text: AnalysedText,
                       subject: Judge.Subject, brandContacts: [Range<Int>], explain: Bool = false) -> (Analysis, [Category]) {
        let signals = RuleSignals(analysis: analysis, categories: outcome.categories)
        let features = commentFeatures.extract(text, context: subject.context, platform: subject.platform.rawValue,
                                               kind: subject.kind.rawValue, signals: signals)
        let dense = models.comments.linear.denseCount > 0 ? (WordVectors.shared?.mean(text) ?? []) : []
        let probabilities = models.comments.probabilities(features, dense: dense)
        let labels = CommentModel.labels
        func holds(_ label: String) -> Bool {
            let k = labels.firstIndex(of: label)!
            return probabilities[k] >= models.comments.thresholds[k]
        }
        var revised = analysis
        let identifiers = analysis.findings.filter { $0.type.isIdentifier }
        let tagged = SpanDecoding.findings(text, labels: models.tagger.tag(tokenFeatures.extract(text, findings: identifiers, brand: brandContacts)))
            .filter { finding in !brandContacts.contains { $0.lowerBound < finding.end && finding.start < $0.upperBound } }
        revised.findings = Self.merge(tagged: tagged, rules: identifiers, keep: ruleTypes) + analysis.findings.filter { !$0.type.isIdentifier }
        revised.phi = holds("phi")
        revised.score = probabilities[0]
        if revised.phi {
            let ruleSubject = analysis.subject
            let thirdParty: Set<HealthSubject> = [.relative, .namedPerson, .facilityResidents]
            if holds("about_third") {
                revised.subject = thirdParty.contains(ruleSubject) ? ruleSubject : .relative
            } else if holds("about_self") {
                revised.subject = .commenter
            } else {
                revised.subject = ruleSubject == .none ? .unknown : ruleSubject
            }
        } else {
            revised.subject = .none
        }
        var scores: [String: Double] = [:]
        for (k, label) in labels.enumerated() { scores[label] = (probabilities[k] * 1000).rounded() / 1000 }
        revised.scores = scores
        let categories = CommentModel.categories.filter(holds).compactMap(Category.init(rawValue:))
        if explain {
            // The features that weighed most in each verdict the models gave (phi, and every category said).
            let named = commentFeatures.named(text, context: subject.context, platform: subject.platform.rawValue, kind: subject.kind.rawValue,
                                              signals: signals)
            for label in ["phi"] + (revised.phi ? ["about_self", "about_third"] : []) + categories.map(\.rawValue) {
                let k = labels.firstIndex(of: label)!
                let all = models.comments.linear.contributions(named, label: k)
                let rest = all.dropFirst(6).reduce(Float(0)) { $0 + $1.weight }
                let top = (all.prefix(6).map { String(format: "%@ %+.2f", $0.name, $0.weight) }
                    + (all.count > 6 ? [String(format: "%d more %+.2f", all.count - 6, rest)] : [])).joined(separator: ", ")
                let linear = models.comments.linear
                revised.explanation.append(String(format: "model: %@ %.2f (threshold %.2f): base rate %+.2f, word vector %+.2f, %@", label, probabilities[k],
                                                  models.comments.thresholds[k], linear.bias[k], linear.denseContribution(dense, label: k), top))
            }
        }
        return (revised, categories)
    }

    /// The recognizers' findings of the kept types, then the tagger's where they do not overlap them; a tagged span
    /// that covers a recognizer's finding of its own type takes that finding's subtype ("date_of_birth").
    static func merge(tagged: [Finding], rules: [Finding], keep: Set<FindingType>) -> [Finding] {
        var out = rules.filter { keep.contains($0.type) }
        for var finding in tagged where !out.contains(where: { $0.start < finding.end && finding.start < $0.end }) {
            if let rule = rules.first(where: { $0.type == finding.type && $0.start < finding.end && finding.start < $0.end }) {
                finding.subtype = rule.subtype
                finding.score = max(finding.score, rule.score)
            }
            out.append(finding)
        }
        return out.sorted { $0.start < $1.start }
    }
}
