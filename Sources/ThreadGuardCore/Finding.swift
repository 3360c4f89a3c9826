/// Kinds of finding: the identifier types of the labelling guide, and health context.
public enum FindingType: String, Codable, Sendable, CaseIterable {
    case name = "NAME"
    case location = "LOCATION"
    case date = "DATE"
    case age90Plus = "AGE_90_PLUS"
    case phone = "PHONE"
    case email = "EMAIL"
    case ssn = "SSN"
    case mrn = "MRN"
    case healthPlanID = "HEALTH_PLAN_ID"
    case accountID = "ACCOUNT_ID"
    case licenseID = "LICENSE_ID"
    case deviceID = "DEVICE_ID"
    case vehicleID = "VEHICLE_ID"
    case url = "URL"
    case ip = "IP"
    case otherID = "OTHER_ID"
    /// Health context (a condition, treatment, device use, stay in care): not an identifier.
    case health = "HEALTH"

    public var isIdentifier: Bool { self != .health }

    /// Identifiers whose presence alone makes a comment unsafe to leave public (GUIDELINES.md).
    public var isDirectIdentifier: Bool {
        switch self {
        case .phone, .email, .ssn, .mrn, .healthPlanID, .accountID, .deviceID, .licenseID, .vehicleID, .ip:
            return true
        case .name, .location, .date, .age90Plus, .url, .otherID, .health:
            return false
        }
    }
}

/// One thing a recognizer found, pointing into the original text in Unicode code points (end exclusive).
public struct Finding: Codable, Sendable, Equatable {
    public var type: FindingType
    public var start: Int
    public var end: Int
    public var score: Double
    public var recognizer: String
    /// A finer label than the type (e.g. "date_of_birth", "street_address", "facility").
    public var subtype: String?
    /// How the score came about, step by step (for `--explain`); never holds the matched text.
    public var explanation: [String]

    public init(
        type: FindingType, start: Int, end: Int, score: Double, recognizer: String,
        subtype: String? = nil, explanation: [String] = []
    ) {
        self.type = type
        self.start = start
        self.end = end
        self.score = score
        self.recognizer = recognizer
        self.subtype = subtype
        self.explanation = explanation
    }
}
