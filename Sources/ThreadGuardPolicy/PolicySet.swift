import ThreadGuardCore
import ThreadGuardDetect

/// The policies in force: the brand's details, reply templates and rules, loaded from `Policies/`.
public struct PolicySet: Sendable {
    public var brand: BrandProfile
    /// Brand-voice variables templates may use (`{{support_phone}}`, `{{dm_link}}` …).
    public var variables: [String: String]
    public var templates: [String: ReplyTemplate]
    public var rules: [Rule]

    public init(brand: BrandProfile, variables: [String: String], templates: [String: ReplyTemplate], rules: [Rule]) {
        self.brand = brand
        self.variables = variables
        self.templates = templates
        self.rules = rules
    }
}

/// A condition a rule can test.
public enum RuleCondition: Sendable, Equatable {
    /// The comment discloses health information about someone identifiable.
    case phi
    /// The comment holds a direct identifier (phone, email, record numbers …).
    case directIdentifier
    /// The comment discloses health information about someone other than the commenter.
    case thirdPartyHealth
    /// The detector put the comment in this category.
    case category(Category)
}

/// One rule: when any of its conditions holds, its actions apply.
public struct Rule: Sendable, Equatable {
    public var id: String
    public var title: String
    public var when: [RuleCondition]
    public var actions: [ActionKind]
    public var template: String?
    public var priority: Int

    public init(id: String, title: String, when: [RuleCondition], actions: [ActionKind], template: String?, priority: Int) {
        self.id = id
        self.title = title
        self.when = when
        self.actions = actions
        self.template = template
        self.priority = priority
    }
}

/// A reply text with `{{variable}}` placeholders filled from the brand's variables only: a template can
/// never reach the comment's text.
public struct ReplyTemplate: Sendable, Equatable {
    public var id: String
    public var text: String

    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }

    /// Placeholder names used in the text.
    public var placeholders: [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    public func render(_ variables: [String: String]) -> String {
        var output = text
        for name in placeholders {
            output = output.replacingOccurrences(of: "{{\(name)}}", with: variables[name] ?? "")
            output = output.replacingOccurrences(of: "{{ \(name) }}", with: variables[name] ?? "")
        }
        return output
    }
}
