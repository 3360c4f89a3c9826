import ThreadGuardCore

/// Applies the rules to an analysis: the union of the actions of every rule that holds.
public struct PolicyEvaluator: Sendable {
    public let policies: PolicySet

    public init(policies: PolicySet) {
        self.policies = policies
    }

    public func decide(_ analysis: Analysis) -> Decision {
        var actions: [ActionKind] = []
        var rules: [String] = []
        var priority = 0
        var template: String?
        for rule in policies.rules where rule.when.contains(where: { holds($0, analysis) }) {
            rules.append(rule.id)
            priority = max(priority, rule.priority)
            for action in rule.actions where !actions.contains(action) { actions.append(action) }
            if template == nil { template = rule.template }
        }
        return Decision(actions: actions, rules: rules, priority: priority, replyTemplate: template)
    }

    func holds(_ condition: RuleCondition, _ analysis: Analysis) -> Bool {
        switch condition {
        case .phi: return analysis.phi
        case .directIdentifier: return analysis.findings.contains { $0.type.isDirectIdentifier }
        case .thirdPartyHealth:
            return analysis.phi && [.relative, .namedPerson, .facilityResidents].contains(analysis.subject)
        case .category(let category): return analysis.categories.contains(category)
        }
    }

    /// The reply a decision asks for, drafted from its template.
    public func draftReply(for decision: Decision) -> String? {
        guard let id = decision.replyTemplate, let template = policies.templates[id] else { return nil }
        return template.render(policies.variables)
    }
}
