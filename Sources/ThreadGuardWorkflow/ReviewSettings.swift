import ThreadGuardStore
import ThreadGuardYAML

/// How the review page works for the team (`review:` in threadguard.yaml):
///
///     review:
///       response_targets: {crisis: 15m, adverse_event: 1 business day, other: 1d}
///       next_after_action: true
public struct ReviewSettings: Sendable, Equatable {
    /// How soon a person must first act on a queued item, per kind.
    public var responseTargets = ResponseTargets()
    /// After an action on the item page, open the next item of the queue (false: stay on the item).
    public var nextAfterAction = true

    public init() {}

    static func read(_ node: YAMLNode) -> ReviewSettings? {
        guard let map = node.mapping(allowing: ["response_targets", "next_after_action"]) else { return nil }
        var settings = ReviewSettings()
        if let targets = map["response_targets"]?.mapping(allowing: ResponseTargets.Target.allCases.map(\.rawValue)) {
            for target in ResponseTargets.Target.allCases {
                guard let value = targets[target.rawValue] else { continue }
                if let text = value.string, let span = ResponseTargets.Span(text) {
                    settings.responseTargets[target] = span
                } else {
                    value.issue("'\(value.string ?? value.kindName)' is not a response target",
                                hint: "a duration of a minute or more (15m, 4h, 1d) or a number of business days (1 business day)")
                }
            }
        }
        if let next = map["next_after_action"] {
            switch next.string {
            case "true", "yes": settings.nextAfterAction = true
            case "false", "no": settings.nextAfterAction = false
            default: next.issue("'\(next.string ?? next.kindName)' is not true or false")
            }
        }
        return settings
    }
}
