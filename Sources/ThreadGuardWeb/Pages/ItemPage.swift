import Foundation
import Metrics
import Hummingbird
import ThreadGuardCore
import ThreadGuardStore

extension ReviewApp {
    /// The item the path names, with everything its page shows.
    func item(_ context: ReviewContext) -> (Int64, ReviewDetail)? {
        guard let id = context.parameters.get("id").flatMap(Int64.init), let detail = try? database.reviewDetail(itemID: id) else { return nil }
        return (id, detail)
    }

    func notFound(_ signed: Signed) -> Response {
        Web.errorPage(.notFound, "Not found", "There is no such item.", viewer: signed.viewer)
    }

    /// How long a reveal stays shown to the person who asked for it (each one is an audit row).
    static let revealShownFor: TimeInterval = 15 * 60

    /// The findings of this item `user` revealed lately: read from the audit log, so a page reload shows them again
    /// without a new reveal, and nothing in the address can unmask anything.
    func revealed(itemID: Int64, user: String, now: Date = Date()) -> Set<Int64> {
        let rows = (try? database.auditLog(itemID: itemID)) ?? []
        return Set(rows.filter { $0.event == "phi.revealed" && $0.actor == "user:\(user)" && now.timeIntervalSince1970 * 1000 - Double($0.at) < Self.revealShownFor * 1000 }
            .compactMap { RevealNote.findingID($0.detail) })
    }

    func itemPage(_ detail: ReviewDetail, _ signed: Signed, flash: String?, error: String? = nil, draftText: String? = nil) throws -> String {
        let id = detail.item.id ?? 0
        let undo = try database.lastUndoable(actor: signed.user.name).flatMap { UndoCheck.workable($0, shown: detail, database: database, containment: containment) }
        return ItemPage.render(detail, viewer: signed.viewer, revealed: revealed(itemID: id, user: signed.user.name), flash: flash, error: error,
                               draftText: draftText, undo: undo, containment: containment[detail.item.platform] ?? [:],
                               users: signed.user.role == "reviewer" ? [] : try database.users().map(\.name))
    }

    func registerItem(on router: Router<ReviewContext>) {
        router.get("/item/:id") { request, context in
            guard let signed = signedIn(request) else { return Web.redirect("/login") }
            guard let (_, detail) = item(context) else { return notFound(signed) }
            return Web.html(try itemPage(detail, signed, flash: Notice.text(request)))
        }

        // The next waiting item, worked out when asked for (not on every page).
        router.get("/item/:id/next") { request, context in
            guard signedIn(request) != nil else { return Web.redirect("/login") }
            guard let id = context.parameters.get("id").flatMap(Int64.init), let next = try nextItem(after: id) else { return Web.redirect("/queue") }
            return Web.redirect("/item/\(next)")
        }

        router.post("/item/:id/reveal") { request, context in
            let form = await Web.form(request)
            switch authorizePost(request, form) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                guard let (id, detail) = item(context) else { return notFound(signed) }
                // One identifier of this item per reveal (the one asked for, or the next still masked), audited before
                // it is shown; then a redirect, so a reload shows it again without a second reveal.
                let shown = revealed(itemID: id, user: signed.user.name)
                let identifiers = detail.findings.filter { $0.type != "HEALTH" }.sorted { $0.start < $1.start }
                let asked = form["finding"].flatMap(Int64.init)
                guard let finding = asked.map({ wanted in identifiers.first { $0.id == wanted } })
                        ?? identifiers.first(where: { !shown.contains($0.id ?? 0) }) else {
                    return Web.redirect("/item/\(id)")
                }
                try database.recordReveal(itemID: id, finding: finding, actor: signed.user.name)
                logger.info("PHI revealed", metadata: ["user": "\(signed.user.name)", "item.id": "\(id)", "finding.id": "\(finding.id ?? 0)"])
                return Web.redirect("/item/\(id)?revealed=1#finding-\(finding.id ?? 0)")
            }
        }

        router.post("/item/:id/act") { request, context in
            let form = await Web.form(request)
            switch authorizePost(request, form) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                guard let (id, detail) = item(context) else { return notFound(signed) }
                let take = form["action"] == "take"
                guard let action = take ? .assign : form["action"].flatMap(ReviewAction.init(rawValue:)) else {
                    return Web.errorPage(.badRequest, "Unknown action", "That action does not exist.", viewer: signed.viewer)
                }
                let assignee = take ? signed.user.name : form["assignee"].flatMap { $0.isEmpty ? nil : UserNames.normalised($0) }
                if action == .assign, signed.user.role == "reviewer", assignee != signed.user.name {
                    return Web.errorPage(.forbidden, "Not allowed", "Leads and admins assign items to others; use “Assign to me” to take one.", viewer: signed.viewer)
                }
                func refused(_ message: String, status: HTTPResponse.Status, draft: String? = nil) throws -> Response {
                    Web.html(try itemPage(detail, signed, flash: nil, error: message, draftText: draft), status: status)
                }
                var text: String?
                if action == .approve {
                    // Whether there is a reply to approve is settled before the guard reads the text, so the answer to
                    // a text never depends on anything but the text and the thread.
                    let drafts = detail.actions.filter(\.awaitsApproval)
                    guard !drafts.isEmpty else { return try refused(ReviewError.noDraft(id).description, status: .conflict) }
                    let edited = form["reply"]?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
                    if let refusal = try judge.refusal(of: edited.map { [$0] } ?? drafts.map { $0.payload ?? "" }, edited: edited != nil,
                                                       item: detail.item, actor: signed.user.name, database: database) {
                        logger.notice("reply refused by the reply guard", metadata: ["user": "\(signed.user.name)", "item.id": "\(id)"])
                        return try refused("The reply guard refused this reply: \(refusal). Edit it and try again.", status: .unprocessableContent, draft: edited)
                    }
                    text = edited
                }
                do {
                    try database.review(itemID: id, action: action, actor: signed.user.name, text: text, assignee: assignee)
                    Counter(label: "threadguard_review_actions_total", dimensions: [("action", action.rawValue)]).increment()
                } catch let error as ReviewError {
                    if case .unknownUser = error {
                        return try refused("Nobody named “\(assignee ?? "")” can sign in, so nothing was assigned. Choose someone from the list.", status: .unprocessableContent)
                    }
                    return try refused(error.description, status: .conflict)
                }
                if [.approve, .hide, .unhide].contains(action), let runActions { await runActions() }
                // Done with this one: the next item waiting opens (unless the team chose to stay, or the action keeps
                // the item in hand: assigning, reopening, recording a report).
                if settings.nextAfterAction, ![.assign, .reopen, .aeReported].contains(action), let next = try nextItem(after: id) {
                    return Web.redirect("/item/\(next)?" + Notice.done(action))
                }
                return Web.redirect("/item/\(id)?" + Notice.done(action))
            }
        }

        router.post("/undo") { request, _ in
            let form = await Web.form(request)
            switch authorizePost(request, form) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                do {
                    let (itemID, action) = try database.undoLast(actor: signed.user.name)
                    if let runActions { await runActions() }
                    return Web.redirect("/item/\(itemID)?" + Notice.undone(action))
                } catch let error as ReviewError {
                    return Web.redirect("/queue?" + Notice.failed(error))
                }
            }
        }
    }

    /// The open item first in the queue's order, other than `id`.
    func nextItem(after id: Int64) throws -> Int64? {
        var filter = QueueFilter()
        filter.pageSize = 2
        return try database.queue(filter).rows.first { $0.itemID != id }?.itemID
    }
}

/// Whether a person's last action can still be undone: not when a reply it approved already went out, nor when it
/// hid something on a platform where hiding cannot be reversed.
enum UndoCheck {
    /// `shown`: the item on the page, read again only when the undo is of another item.
    static func workable(_ undo: UndoRecord, shown: ReviewDetail, database: any Store, containment: [String: [ActionKind: Containment]]) -> UndoRecord? {
        guard let detail = shown.item.id == undo.itemID ? shown : try? database.reviewDetail(itemID: undo.itemID) else { return nil }
        let state = (try? JSONSerialization.jsonObject(with: Data(undo.state.utf8))) as? [String: Any] ?? [:]
        let changed = Set((state["actions"] as? [[String: String]] ?? []).compactMap { $0["id"].flatMap(Int64.init) })
        let created = Set((state["created"] as? [String] ?? []).compactMap(Int64.init))
        for action in detail.actions {
            guard let id = action.id else { continue }
            if changed.contains(id), action.status == ActionStatus.done.rawValue || action.status == ActionStatus.sending.rawValue { return nil }
            if created.contains(id), action.status == ActionStatus.done.rawValue, let kind = ActionKind(rawValue: action.kind),
               containment[detail.item.platform]?[kind]?.reversible == false {
                return nil
            }
        }
        return undo
    }
}
