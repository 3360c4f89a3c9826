import Foundation
import Hummingbird
import ThreadGuardStore

/// The banner after a redirect comes from a key in the address (`?done=approve`), never from text in it: a link
/// cannot make the app's banner say anything the app did not write.
enum Notice {
    static let doneTexts: [ReviewAction: String] = [
        .approve: "Approved; the reply is on its way.", .hide: "Hidden on the platform.", .unhide: "Shown again on the platform.",
        .dismiss: "Dismissed.", .escalate: "Escalated for a call.", .reopen: "Reopened.", .assign: "Assigned.",
        .aeReported: "Marked as reported to the safety team.",
    ]
    static let failures: [String: String] = [
        "nothing_to_undo": ReviewError.nothingToUndo.description,
        "already_sent": "Cannot undo: it already went out on the platform.",
        "nothing_selected": "Nothing was selected: tick the rows to act on first.",
    ]
    static let bulkVerbs = ["dismiss": "Dismissed", "approve": "Approved the replies of", "hide": "Hid", "escalate": "Escalated",
                            "assign": "Assigned", "take": "Assigned to you"]

    static func bulk(_ action: String, _ outcome: BulkOutcome) -> String {
        "bulk=\(action)&n=\(outcome.done)&skipped=\(outcome.skipped)&refused=\(outcome.refused)"
    }

    static func done(_ action: ReviewAction) -> String { "done=\(action.rawValue)" }

    static func undone(_ action: String) -> String {
        ReviewAction(rawValue: action).map { "undone=\($0.rawValue)" } ?? "undone=other"
    }

    static func failed(_ error: ReviewError) -> String {
        if case .alreadySent = error { return "failed=already_sent" }
        return "failed=nothing_to_undo"
    }

    /// The banner text for a request's key, or nil (unknown keys show nothing).
    static func text(_ request: Request) -> String? {
        if let key = Web.query(request, "done") { return ReviewAction(rawValue: key).flatMap { doneTexts[$0] } }
        if let key = Web.query(request, "undone") {
            return "Undid " + (ReviewAction(rawValue: key)?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "the last action") + "."
        }
        if let key = Web.query(request, "failed") { return failures[key] }
        if let key = Web.query(request, "bulk"), let verb = bulkVerbs[key] {
            func count(_ name: String) -> Int { Web.number(request, name, in: 0...1_000_000) ?? 0 }
            let done = count("n")
            var text = "\(verb) \(done) item\(done == 1 ? "" : "s"), each recorded in the audit log."
            if count("skipped") > 0 { text += " \(count("skipped")) skipped (no longer waiting, or nothing to approve)." }
            if count("refused") > 0 { text += " \(count("refused")) repl\(count("refused") == 1 ? "y" : "ies") refused by the reply guard: open them to edit." }
            return text
        }
        if let key = Web.query(request, "revealed"), key == "1" { return "Revealed; this is recorded in the audit log." }
        return nil
    }
}
