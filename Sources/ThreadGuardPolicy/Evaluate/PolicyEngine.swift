import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Runs the detectors (categories) and then the rules (actions) over one comment.
public struct PolicyEngine: Sendable {
    public let policies: PolicySet
    /// Rendered replies per template, language and platform (they depend on nothing else).
    private let rendered = RenderedReplies()

    /// Per detector and per rule (in the policy set's order), the numbers of the word lists of which one must
    /// occur for it to fire (`WordGate`), or nil.
    let detectorGates: [[Int]?]
    let ruleGates: [[Int]?]

    public init(policies: PolicySet) {
        self.init(policies: policies, wordGates: true)
    }

    /// `wordGates: false` evaluates every rule in full (tests compare the two).
    init(policies: PolicySet, wordGates: Bool) {
        self.policies = policies
        // Only lists of this set's phrase index can be answered from its hits.
        func gate(_ rule: PolicyRule) -> [Int]? {
            guard wordGates, let tables = WordGate.required(rule), tables.allSatisfy({ $0.isEntry(of: policies.phraseTables) }) else { return nil }
            return tables.map(\.number)
        }
        detectorGates = policies.detectors.map(gate)
        ruleGates = policies.rules.map(gate)
    }

    /// False when none of the word lists the rule needs occurs: it cannot fire.
    @inline(__always) private static func mayFire(_ gate: [Int]?, _ hits: PhraseHits?) -> Bool {
        guard let gate, let hits else { return true }
        for number in gate where hits.contains(number) { return true }
        return false
    }

    /// What fired and why.
    public struct Outcome: Sendable {
        public var categories: [Category]
        public var decision: Decision
        /// Detector ids that assigned categories.
        public var detectors: [String]
        /// Shadow rules that would have fired (recorded, not acted on).
        public var shadowRules: [String]
        /// Rules and detectors that fired (shadow ones too), with the selections that held as bits.
        let fired: [Fired]

        /// rule id → the selections that held. Names are made only here, when someone asks why.
        public var why: [String: [String]] {
            Dictionary(fired.map { ($0.rule.id, $0.names()) }, uniquingKeysWith: { first, _ in first })
        }
    }

    struct Fired: @unchecked Sendable {
        let rule: PolicyRule
        let held: UInt64
        /// For selections past the 64th, which the bits do not cover.
        let input: PolicyInput

        func names() -> [String] {
            rule.selectionNames.indices.filter { index in
                index < 64 ? held & (1 << UInt64(index)) != 0 : PolicyEngine.selectionHolds(rule, index, input)
            }.map { rule.selectionNames[$0] }
        }
    }

    /// `categories`: when given (the learned models' categories), the detectors are not run and these feed the rules.
    /// `detectorsOnly`: the detectors' categories, no rule evaluated (the learned models read them first).
    public func evaluate(_ input: PolicyInput, categories given: [Category]? = nil, detectorsOnly: Bool = false) -> Outcome {
        if input.checkCache.count != policies.checkSlots { input.checkCache = [Int8](repeating: -1, count: policies.checkSlots) }
        if input.phraseHits == nil {
            input.phraseHits = policies.phraseIndex.occurring(in: input.text)
            input.phraseTables = policies.phraseTables
        }
        var categories: [Category] = []
        var detectors: [String] = []
        var fired: [Fired] = []
        let hits = input.phraseHits
        for (index, detector) in policies.detectors.enumerated() where given == nil {
            guard let category = detector.category, !categories.contains(category) || detector.mode == .shadow,
                  Self.mayFire(detectorGates[index], hits) else { continue }
            var held: UInt64 = 0
            if fires(detector, input, held: &held) {
                fired.append(Fired(rule: detector, held: held, input: input))
                if detector.mode == .enforce {
                    categories.append(category)
                    detectors.append(detector.id)
                }
            }
        }
        if let given { categories = given }
        input.categories = categories
        var actions: [ActionKind] = []
        var rules: [String] = []
        var shadow: [String] = []
        var priority = 0
        var template: String?
        var templatePriority = -1
        var templateAutomation: PolicyRule.Automation?
        var automation: PolicyRule.Automation?
        var perAction: [ActionKind: PolicyRule.Automation] = [:]
        var shadowActions: [ActionKind] = []
        for (index, rule) in policies.rules.enumerated() where !detectorsOnly && Self.mayFire(ruleGates[index], hits) {
            var held: UInt64 = 0
            guard fires(rule, input, held: &held) else { continue }
            fired.append(Fired(rule: rule, held: held, input: input))
            if rule.mode == .shadow {
                shadow.append(rule.id)
                for action in rule.actions where !shadowActions.contains(action.kind) { shadowActions.append(action.kind) }
                continue
            }
            rules.append(rule.id)
            priority = max(priority, rule.priority)
            for action in rule.actions {
                if !actions.contains(action.kind) { actions.append(action.kind) }
                perAction[action.kind] = Self.strictest(perAction[action.kind], rule.automation)
                // The reply comes from the highest-priority rule that drafts one, and keeps that rule's level.
                if let t = action.template, rule.priority > templatePriority {
                    template = t
                    templatePriority = rule.priority
                    templateAutomation = rule.automation
                }
            }
            automation = Self.strictest(automation, rule.automation)
        }
        var decision = Decision(actions: actions, rules: rules, priority: priority, replyTemplate: template)
        decision.automation = automation?.rawValue
        for (kind, level) in perAction { decision.automationByAction[kind.rawValue] = level.rawValue }
        if let templateAutomation {
            for kind in [ActionKind.privateReply, .publicReply] where actions.contains(kind) {
                decision.automationByAction[kind.rawValue] = templateAutomation.rawValue
            }
        }
        decision.shadowRules = shadow
        decision.shadowActions = shadowActions.filter { !actions.contains($0) }
        return Outcome(categories: categories.sorted { $0.rawValue < $1.rawValue }, decision: decision, detectors: detectors,
                       shadowRules: shadow, fired: fired)
    }

    /// The selections that held when the rule's condition holds; nil when it does not fire.
    public func fires(_ rule: PolicyRule, _ input: PolicyInput) -> [String]? {
        var held: UInt64 = 0
        return fires(rule, input, held: &held) ? Fired(rule: rule, held: held, input: input).names() : nil
    }

    /// Whether the rule's condition holds. Each selection is evaluated at most once (the first 64 are
    /// remembered in two bit masks, so nothing is allocated); `held` gets a bit for each of those that held.
    func fires(_ rule: PolicyRule, _ input: PolicyInput, held: inout UInt64) -> Bool {
        var known: UInt64 = 0
        var values: UInt64 = 0
        let fired = rule.compiled.evaluate { index in
            let bit: UInt64 = index < 64 ? 1 << UInt64(index) : 0
            if known & bit != 0 { return values & bit != 0 }
            let result = Self.selectionHolds(rule, index, input)
            known |= bit
            if result { values |= bit }
            return result
        }
        held = values
        return fired
    }

    /// Every check of the selection holds (cheapest first, as the reader ordered them).
    static func selectionHolds(_ rule: PolicyRule, _ index: Int, _ input: PolicyInput) -> Bool {
        let range = rule.checkRange(ofSelection: index)
        return rule.checks.withUnsafeBufferPointer { checks in
            for k in range where !CheckEvaluator.holds(checks[k], input) { return false }
            return true
        }
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
