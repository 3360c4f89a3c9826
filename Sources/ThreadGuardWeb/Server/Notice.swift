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
    ]

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
        return nil
    }
}
