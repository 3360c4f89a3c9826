import ThreadGuardCore

/// One rule (Sigma-style metadata, AutoModerator-style checks): named selections of field checks, a condition
/// over them, and either actions (a rule) or a category (a detector). Each rule carries its own tests.
public struct PolicyRule: Sendable {
    public enum Mode: String, Sendable { case enforce, shadow }
    public enum Status: String, Sendable, CaseIterable { case stable, test, experimental, deprecated }
    public enum Level: String, Sendable, CaseIterable { case informational, low, medium, high, critical }
    /// How far the workflow may go without a person: act at once, draft for approval, or only flag.
    public enum Automation: String, Sendable, CaseIterable { case act, draft, flag }

    public var id: String
    public var title: String
    public var description: String
    public var status: Status
    public var level: Level
    public var falsePositives: [String]
    public var mode: Mode
    public var priority: Int
    public var automation: Automation
    public var selections: [String: Selection]
    public var condition: Condition
    /// For detectors: the category they assign.
    public var category: Category?
    /// For rules: what to do.
    public var actions: [RuleAction]
    public var tests: RuleTests
    public var location: SourceLocation
}

/// What a rule does when it fires.
public struct RuleAction: Sendable, Equatable {
    public var kind: ActionKind
    /// Template id for replies.
    public var template: String?
    /// Review queue name and priority, escalation target, label name.
    public var queue: String?
    public var target: String?
    public var label: String?
}

/// The cases a rule carries: comments it must match and must not.
public struct RuleTests: Sendable {
    public var match: [RuleTestCase] = []
    public var noMatch: [RuleTestCase] = []
}

public struct RuleTestCase: Sendable {
    public var text: String
    public var context: [ThreadContextEntry]
    public var platform: Platform
    public var kind: ItemKind
    public var author: String
    public var location: SourceLocation
}
