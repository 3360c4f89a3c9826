/// Off-message categories of the labelling guide.
public enum Category: String, Codable, Sendable, CaseIterable {
    case adverseEvent = "adverse_event"
    case medicalAdvice = "medical_advice"
    case complaint
    case distress
    case offLabel = "off_label"
    case misinformation
    case competitor
    case spam
    case abuse
}

/// Whose health a comment discloses.
public enum HealthSubject: String, Codable, Sendable {
    case none
    case commenter
    case relative
    case namedPerson = "named_person"
    case facilityResidents = "facility_residents"
    case unknown
}

/// What the detectors concluded about one comment.
public struct Analysis: Codable, Sendable, Equatable {
    public var phi: Bool
    public var score: Double
    public var findings: [Finding]
    public var categories: [Category]
    public var subject: HealthSubject
    public var explanation: [String]
    /// The normalised text, kept only when explaining.
    public var normalizedText: String?
    /// The learned models' calibrated probabilities (`phi`, each category), when models are in use.
    public var scores: [String: Double]?

    public init(
        phi: Bool, score: Double, findings: [Finding], categories: [Category], subject: HealthSubject,
        explanation: [String] = []
    ) {
        self.phi = phi
        self.score = score
        self.findings = findings
        self.categories = categories
        self.subject = subject
        self.explanation = explanation
    }

    public var identifierFindings: [Finding] { findings.filter { $0.type.isIdentifier } }
}

/// What the policies decided to do with one comment.
public struct Decision: Codable, Sendable, Equatable {
    public var actions: [ActionKind]
    public var rules: [String]
    public var priority: Int
    /// Template id for a drafted reply, when `actions` asks for one.
    public var replyTemplate: String?
    /// How far the workflow may go alone: "act", "draft" (a person approves) or "flag"; the most careful level of any
    /// rule that fired, for display.
    public var automation: String?
    /// Each action's own level: the most careful of the rules that asked for that action; a reply's is the level of
    /// the rule whose template it uses. A `draft` rule asking only for a reply no longer holds back another rule's hide.
    public var automationByAction: [String: String] = [:]
    /// Shadow rules that would have fired, and the actions they would have added (recorded, not carried out).
    public var shadowRules: [String] = []
    public var shadowActions: [ActionKind] = []

    public init(actions: [ActionKind], rules: [String], priority: Int = 0, replyTemplate: String? = nil) {
        self.actions = actions
        self.rules = rules
        self.priority = priority
        self.replyTemplate = replyTemplate
    }

    /// How far the workflow may go alone with `kind`: act, draft or flag.
    public func automation(for kind: ActionKind) -> String {
        automationByAction[kind.rawValue] ?? automation ?? "act"
    }
}
