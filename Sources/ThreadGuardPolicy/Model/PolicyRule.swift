import ThreadGuardCore

/// One rule (Sigma-style metadata, AutoModerator-style checks): named selections of field checks, a condition
/// over them, and either actions (a rule) or a category (a detector). Each rule carries its own tests.
public final class PolicyRule: Sendable {
    public enum Mode: String, Sendable { case enforce, shadow }
    public enum Status: String, Sendable, CaseIterable { case stable, test, experimental, deprecated }
    public enum Level: String, Sendable, CaseIterable { case informational, low, medium, high, critical }
    /// How far the workflow may go without a person: act at once, draft for approval, or only flag.
    public enum Automation: String, Sendable, CaseIterable { case act, draft, flag }

    public let id: String
    public let title: String
    public let description: String
    public let status: Status
    public let level: Level
    public let falsePositives: [String]
    public let mode: Mode
    public let priority: Int
    public let automation: Automation
    public let selections: [String: Selection]
    public let condition: Condition
    /// For detectors: the category they assign.
    public let category: Category?
    /// For rules: what to do.
    public let actions: [RuleAction]
    public let tests: RuleTests
    public let location: SourceLocation
    /// Selection names, in a fixed order, for `1 of …` conditions.
    public let selectionNames: [String]
    /// Every check of every selection in `selectionNames` order; selection i's checks run from the previous
    /// selection's end (0 for the first) to `selectionEnds[i]`.
    let checks: [CompiledCheck]
    let selectionEnds: [Int]
    /// The condition over selection indices.
    let compiled: CompiledCondition

    public init(id: String, title: String, description: String, status: Status, level: Level, falsePositives: [String],
                mode: Mode, priority: Int, automation: Automation, selections: [String: Selection], condition: Condition,
                category: Category?, actions: [RuleAction], tests: RuleTests, location: SourceLocation) {
        self.id = id
        self.title = title
        self.description = description
        self.status = status
        self.level = level
        self.falsePositives = falsePositives
        self.mode = mode
        self.priority = priority
        self.automation = automation
        self.selections = selections
        self.condition = condition
        self.category = category
        self.actions = actions
        self.tests = tests
        self.location = location
        self.selectionNames = selections.keys.sorted()
        var checks: [CompiledCheck] = []
        var ends: [Int] = []
        for name in selectionNames {
            checks += selections[name]!.checks.map(CompiledCheck.init)
            ends.append(checks.count)
        }
        self.checks = checks
        self.selectionEnds = ends
        self.compiled = CompiledCondition(condition, names: selectionNames)
    }

    /// Where selection `index`'s checks lie in `checks`.
    func checkRange(ofSelection index: Int) -> Range<Int> {
        (index == 0 ? 0 : selectionEnds[index - 1])..<selectionEnds[index]
    }
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
    public let location: SourceLocation
}
