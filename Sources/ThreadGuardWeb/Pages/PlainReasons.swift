import Foundation
import ThreadGuardCore
import ThreadGuardStore

/// Why an item was flagged and what was proposed, in words a social-media team reads at a glance; the rule ids,
/// recognizers and scores stay behind a disclosure.
enum PlainReasons {
    static let identifierWords: [String: String] = [
        "NAME": "a name", "LOCATION": "a place", "DATE": "a date", "AGE_90_PLUS": "an age over 89", "PHONE": "a phone number",
        "EMAIL": "an e-mail address", "SSN": "a social security number", "MRN": "a medical record number",
        "HEALTH_PLAN_ID": "a health plan number", "ACCOUNT_ID": "an account number", "LICENSE_ID": "a licence number",
        "DEVICE_ID": "a device serial number", "VEHICLE_ID": "a vehicle number", "URL": "a web address", "IP": "an IP address",
        "OTHER_ID": "an identifying number", "HEALTH": "a health detail",
    ]
    static let subjectWords: [String: String] = [
        "commenter": "the commenter", "relative": "a relative of the commenter", "named_person": "a named person",
        "facility_residents": "residents of a care home", "unknown": "someone",
    ]
    static let categoryWords: [String: String] = [
        "adverse_event": "a possible adverse event (a product may have harmed someone)", "medical_advice": "a request for medical advice",
        "complaint": "a complaint", "distress": "someone in distress", "off_label": "off-label use", "misinformation": "misinformation",
        "competitor": "a competitor mention", "spam": "spam", "abuse": "abuse",
    ]
    static let actionWords: [String: String] = [
        "hide": "hide it", "unhide": "show it again", "delete": "delete it", "private_reply": "take it private with a reply",
        "public_reply": "answer in public", "review": "have a person look", "escalate": "escalate it for a call",
        "adverse_event_report": "open an adverse-event intake", "label": "label it",
    ]

    /// "A phone number and a health detail, about a relative of the commenter."
    static func why(_ detail: ReviewDetail) -> [String] {
        var lines: [String] = []
        guard let decision = detail.decision else { return ["Not decided yet."] }
        var kinds: [String] = []
        for finding in detail.findings.sorted(by: { $0.start < $1.start }) {
            let words = identifierWords[finding.type] ?? "an identifier"
            if !kinds.contains(words) { kinds.append(words) }
        }
        if decision.phi {
            let whose = subjectWords[decision.subject].map { ", about \($0)" } ?? ""
            lines.append(kinds.isEmpty ? "Health information that can identify someone\(whose)." : sentence(kinds) + whose + ".")
        } else if !kinds.isEmpty {
            lines.append("Mentions " + sentence(kinds).lowercasedFirst + ", not enough to make it PHI.")
        }
        let categories = JSONDecoding.strings(decision.categories).compactMap { categoryWords[$0] }
        if !categories.isEmpty { lines.append("Reads as " + join(categories) + ".") }
        if lines.isEmpty { lines.append("A policy rule matched it.") }
        return lines
    }

    /// "Proposed: hide it and take it private with a reply."
    static func proposed(_ detail: ReviewDetail) -> String {
        let actions = JSONDecoding.strings(detail.decision?.actions ?? "[]").compactMap { actionWords[$0] }
        return actions.isEmpty ? "Proposed: nothing; a person decides." : "Proposed: " + join(actions) + "."
    }

    static func sentence(_ parts: [String]) -> String { join(parts).uppercasedFirst }

    static func join(_ parts: [String]) -> String {
        switch parts.count {
        case 0: return ""
        case 1: return parts[0]
        default: return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
        }
    }
}

extension String {
    var uppercasedFirst: String { prefix(1).uppercased() + dropFirst() }
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
