import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Runs the detectors (categories) and then the rules (actions) over one comment.
public struct PolicyEngine: Sendable {
    public let policies: PolicySet
    /// Rendered replies per template, language and platform (they depend on nothing else).
    private let rendered = RenderedReplies()

    public init(policies: PolicySet) {
        self.policies = policies
    }

    /// What fired and why.
    public struct Outcome: Sendable {
        public var categories: [Category]
        public var decision: Decision
        /// Detector ids that assigned categories.
        public var detectors: [String]
        /// Shadow rules that would have fired (recorded, not acted on).
        public var shadowRules: [String]
        /// rule id → the selections that held.
        public var why: [String: [String]]
    }

    public func evaluate(_ input: PolicyInput) -> Outcome {
        if input.checkCache.count != policies.checkSlots { input.checkCache = [Int8](repeating: -1, count: policies.checkSlots) }
        var categories: [Category] = []
        var detectors: [String] = []
        var why: [String: [String]] = [:]
        for detector in policies.detectors {
            guard let category = detector.category, !categories.contains(category) || detector.mode == .shadow else { continue }
            if let held = fires(detector, input) {
                why[detector.id] = held
                if detector.mode == .enforce {
                    categories.append(category)
                    detectors.append(detector.id)
                }
            }
        }
        input.categories = categories
        var actions: [ActionKind] = []
        var rules: [String] = []
        var shadow: [String] = []
        var priority = 0
        var template: String?
        var templatePriority = -1
        var automation: PolicyRule.Automation?
        for rule in policies.rules {
            guard let held = fires(rule, input) else { continue }
            why[rule.id] = held
            if rule.mode == .shadow {
                shadow.append(rule.id)
                continue
            }
            rules.append(rule.id)
            priority = max(priority, rule.priority)
            for action in rule.actions {
                if !actions.contains(action.kind) { actions.append(action.kind) }
                // The reply comes from the highest-priority rule that drafts one.
                if let t = action.template, rule.priority > templatePriority {
                    template = t
                    templatePriority = rule.priority
                }
            }
            automation = Self.strictest(automation, rule.automation)
        }
        var decision = Decision(actions: actions, rules: rules, priority: priority, replyTemplate: template)
        decision.automation = automation?.rawValue
        return Outcome(categories: categories.sorted { $0.rawValue < $1.rawValue }, decision: decision, detectors: detectors,
                       shadowRules: shadow, why: why)
    }

    /// The selections that held when the rule's condition holds; nil when it does not fire.
    public func fires(_ rule: PolicyRule, _ input: PolicyInput) -> [String]? {
        var cache = [Int8](repeating: -1, count: rule.selectionList.count)
        let fired = rule.compiled.evaluate { index in
            if cache[index] >= 0 { return cache[index] == 1 }
            var result = true
            let checks = rule.selectionList[index].checks
            // By index: `for check in` would copy every check (and retain everything a phrase set holds).
            for k in checks.indices where !CheckEvaluator.holds(checks[k], input) {
                result = false
                break
            }
            cache[index] = result ? 1 : 0
            return result
        }
        guard fired else { return nil }
        return rule.selectionNames.indices.filter { cache[$0] == 1 }.map { rule.selectionNames[$0] }
    }

    /// "flag" beats "draft" beats "act": the most careful rule decides.
    static func strictest(_ a: PolicyRule.Automation?, _ b: PolicyRule.Automation) -> PolicyRule.Automation {
        let order: [PolicyRule.Automation] = [.act, .draft, .flag]
        guard let a else { return b }
        return order.firstIndex(of: a)! >= order.firstIndex(of: b)! ? a : b
    }

    /// The reply a decision asks for, drafted from its template in the comment's language.
    public func hasTemplate(_ id: String) -> Bool { policies.templates[id] != nil }

    public func draftReply(for decision: Decision, language: String? = nil, platform: Platform? = nil) -> String? {
        guard let id = decision.replyTemplate, let template = policies.templates[id] else { return nil }
        return rendered.value(for: "\(id)|\(language ?? "")|\(platform?.rawValue ?? "")") {
            template.render(policies.variables, language: language, platform: platform)
        }
    }
}


/// A memo of rendered replies, shared by copies of an engine.
final class RenderedReplies: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]

    func value(for key: String, render: () -> String) -> String {
        if let known = lock.withLock({ values[key] }) { return known }
        let text = render()
        lock.withLock { values[key] = text }
        return text
    }
}
