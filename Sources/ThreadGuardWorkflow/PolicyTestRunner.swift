import Foundation
import ThreadGuardCore
import ThreadGuardLearn
import ThreadGuardPolicy

/// Runs the tests each rule and detector carries: every `match` case must make it fire, every `no_match`
/// case must not.
public struct PolicyTestRunner {
    public struct Failure: Sendable {
        public var ruleID: String
        public var location: SourceLocation
        public var expectedMatch: Bool
        public var text: String
        /// What fired instead, and why.
        public var explanation: [String]
    }

    public let policies: PolicySet
    /// Detectors are tested as written (their own conditions); rules with the learned models underneath, when given.
    let rules: Judge
    let judge: Judge

    public init(policies: PolicySet, models: LearnedModels? = nil) {
        self.policies = policies
        rules = Judge(policies: policies)
        judge = Judge(policies: policies, models: models)
    }

    public func run() -> (passed: Int, failures: [Failure]) {
        var passed = 0
        var failures: [Failure] = []
        for rule in policies.detectors + policies.rules {
            for (cases, expected) in [(rule.tests.match, true), (rule.tests.noMatch, false)] {
                for testCase in cases {
                    let subject = Judge.Subject(text: testCase.text, context: testCase.context, platform: testCase.platform,
                                                kind: testCase.kind, author: testCase.author)
                    let (analysis, decision, outcome) = (rule.category != nil ? rules : judge).judge(subject)
                    let fired = rule.category != nil ? outcome.detectors.contains(rule.id) || (rule.mode == .shadow && outcome.why[rule.id] != nil)
                        : decision.rules.contains(rule.id) || outcome.shadowRules.contains(rule.id)
                    if fired == expected {
                        passed += 1
                    } else {
                        var why = ["phi=\(analysis.phi) subject=\(analysis.subject.rawValue) identifiers=\(analysis.identifierFindings.map(\.type.rawValue).joined(separator: ","))",
                                   "categories=\(outcome.categories.map(\.rawValue).joined(separator: ","))",
                                   "rules=\(decision.rules.joined(separator: ","))"]
                        if let held = outcome.why[rule.id] { why.append("selections that held: \(held.joined(separator: ", "))") }
                        failures.append(Failure(ruleID: rule.id, location: testCase.location, expectedMatch: expected,
                                                text: testCase.text, explanation: why))
                    }
                }
            }
        }
        return (passed, failures)
    }
}
