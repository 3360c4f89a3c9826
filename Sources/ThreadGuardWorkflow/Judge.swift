import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardPolicy

/// Analyses a comment and applies the policies to it: what `classify` prints and what the pipeline records.
public struct Judge: Sendable {
    public let classifier: PHIClassifier
    public let evaluator: PolicyEvaluator

    public init(policies: PolicySet) {
        classifier = PHIClassifier(brand: policies.brand)
        evaluator = PolicyEvaluator(policies: policies)
    }

    public func judge(text: String, context: [ThreadContextEntry] = [], explain: Bool = false) -> (Analysis, Decision) {
        let analysis = classifier.analyse(text, keepNormalized: explain)
        return (analysis, evaluator.decide(analysis))
    }
}
