import Foundation
import Hummingbird
import Metrics
import ThreadGuardCore
import ThreadGuardStore

/// What a person can do to many queued items at once (the queue's selected rows, or a group's items).
enum BulkAction: String {
    case dismiss, approve, hide, escalate, assign
    /// Assign to the person acting.
    case take

    var review: ReviewAction {
        switch self {
        case .dismiss: .dismiss
        case .approve: .approve
        case .hide: .hide
        case .escalate: .escalate
        case .assign, .take: .assign
        }
    }
}

/// How a bulk action went: items acted on, skipped (not in the queue any more, or nothing to approve), replies the
/// reply guard refused.
struct BulkOutcome {
    var done = 0
    var skipped = 0
    var refused = 0
}

extension ReviewApp {
    /// At most this many items in one request.
    static let bulkLimit = 500

    func registerBulk(on router: Router<ReviewContext>) {
        router.post("/bulk") { request, _ in
            let fields = await Web.fields(request)
            switch authorizePost(request, fields.first) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                let back = fields.first["return"].flatMap { $0.hasPrefix("/queue") || $0.hasPrefix("/item/") ? $0 : nil } ?? "/queue"
                guard let action = fields.first["action"].flatMap(BulkAction.init(rawValue:)) else {
                    return Web.errorPage(.badRequest, "Unknown action", "That action does not exist.", viewer: signed.viewer)
                }
                // A group row stands for its items in the lead's status; chosen items of a group come as items.
                var ids = fields.ids("item", limit: Self.bulkLimit)
                for lead in fields.ids("group", limit: Self.bulkLimit) {
                    let members = (try? database.reviewDetail(itemID: lead).group.map(\.itemID)) ?? []
                    ids += members.isEmpty ? [lead] : members
                }
                var seen: Set<Int64> = []
                ids = ids.filter { seen.insert($0).inserted }.prefix(Self.bulkLimit).map { $0 }
                guard !ids.isEmpty else { return Web.redirect(Self.appending(back, "failed=nothing_selected")) }
                var assignee: String?
                switch action {
                case .take:
                    assignee = signed.user.name
                case .assign:
                    guard signed.user.role != "reviewer" else {
                        return Web.errorPage(.forbidden, "Not allowed", "Leads and admins assign items to others; use “Assign to me” to take them.", viewer: signed.viewer)
                    }
                    assignee = fields.first["assignee"].flatMap { $0.isEmpty ? nil : UserNames.normalised($0) }
                    if let name = assignee, try database.user(named: name) == nil {
                        return Web.errorPage(.unprocessableContent, "No such user",
                                             "Nobody named “\(name)” can sign in, so nothing was assigned. Choose someone from the list (admins add people under Users).",
                                             viewer: signed.viewer)
                    }
                default:
                    break
                }
                let outcome = try carryOut(action, on: ids, assignee: assignee, actor: signed.user.name)
                if [.approve, .hide].contains(action), outcome.done > 0, let runActions { await runActions() }
                logger.info("bulk action", metadata: ["user": "\(signed.user.name)", "action": "\(action.rawValue)", "items": "\(outcome.done)",
                                                      "skipped": "\(outcome.skipped)", "refused": "\(outcome.refused)"])
                return Web.redirect(Self.appending(back, Notice.bulk(action.rawValue, outcome)))
            }
        }
    }

    /// Each item on its own, as if a person acted on its page: its own transaction and audit row, and each reply
    /// read by the reply guard before it may go.
    func carryOut(_ action: BulkAction, on ids: [Int64], assignee: String?, actor: String) throws -> BulkOutcome {
        var outcome = BulkOutcome()
        for id in ids {
            if action == .approve {
                guard let detail = try? database.reviewDetail(itemID: id) else { outcome.skipped += 1; continue }
                let drafts = detail.actions.filter(\.awaitsApproval)
                guard !drafts.isEmpty else { outcome.skipped += 1; continue }
                if try judge.refusal(of: drafts.map { $0.payload ?? "" }, edited: false, item: detail.item, actor: actor, database: database) != nil {
                    outcome.refused += 1
                    continue
                }
            }
            do {
                try database.review(itemID: id, action: action.review, actor: actor, assignee: assignee)
                Counter(label: "threadguard_review_actions_total", dimensions: [("action", action.review.rawValue)]).increment()
                outcome.done += 1
            } catch is ReviewError {
                outcome.skipped += 1
            }
        }
        // Undo works on one action; offering it for the last of many would undo only that one.
        if outcome.done > 1 { try database.forgetUndo(actor: actor) }
        return outcome
    }

    static func appending(_ path: String, _ query: String) -> String {
        path + (path.contains("?") ? "&" : "?") + query
    }
}
