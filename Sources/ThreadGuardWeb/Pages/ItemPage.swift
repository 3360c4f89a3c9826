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

    func registerItem(on router: Router<ReviewContext>) {
        router.get("/item/:id") { request, context in
            guard let signed = signedIn(request) else { return Web.redirect("/login") }
            guard let (_, detail) = item(context) else { return notFound(signed) }
            return Web.html(ItemPage.render(detail, viewer: signed.viewer, reveal: false, flash: Notice.text(request),
                                            undo: try database.lastUndoable(actor: signed.user.name)))
        }

        router.post("/item/:id/reveal") { request, context in
            let form = await Web.form(request)
            switch authorizePost(request, form) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                guard let (id, detail) = item(context) else { return notFound(signed) }
                // Every reveal is audited before the text is shown; only this item is unmasked, not its thread.
                try database.recordReveal(itemID: id, actor: signed.user.name)
                logger.info("PHI revealed", metadata: ["user": "\(signed.user.name)", "item.id": "\(id)"])
                return Web.html(ItemPage.render(detail, viewer: signed.viewer, reveal: true, flash: "Revealed; this is recorded in the audit log.",
                                                undo: try database.lastUndoable(actor: signed.user.name)))
            }
        }

        router.post("/item/:id/act") { request, context in
            let form = await Web.form(request)
            switch authorizePost(request, form) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                guard let (id, detail) = item(context) else { return notFound(signed) }
                guard let action = form["action"].flatMap(ReviewAction.init(rawValue:)) else {
                    return Web.errorPage(.badRequest, "Unknown action", "That action does not exist.", viewer: signed.viewer)
                }
                if action == .assign, signed.user.role == "reviewer" {
                    return Web.errorPage(.forbidden, "Not allowed", "Leads and admins assign items.", viewer: signed.viewer)
                }
                func conflict(_ error: ReviewError) throws -> Response {
                    Web.html(ItemPage.render(detail, viewer: signed.viewer, reveal: false, flash: nil, error: error.description,
                                             undo: try database.lastUndoable(actor: signed.user.name)), status: .conflict)
                }
                var text: String?
                if action == .approve {
                    // Whether there is a reply to approve is settled before the guard reads the text, so the answer to
                    // a text never depends on anything but the text and the thread.
                    let drafts = detail.actions.filter { ItemPage.isApprovable($0) }
                    guard !drafts.isEmpty else { return try conflict(.noDraft(id)) }
                    let edited = form["reply"]?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
                    for outgoing in edited.map({ [$0] }) ?? drafts.map({ $0.payload ?? "" }) {
                        guard let refusal = judge.checkReply(outgoing, item: detail.item, database: database) else { continue }
                        try database.appendAudit(AuditEntry(at: Date(), actor: "user:\(signed.user.name)", event: "reply.refused", itemID: id,
                                                             detail: edited == nil ? "drafted reply refused by the reply guard" : "edited reply refused by the reply guard"))
                        logger.notice("reply refused by the reply guard", metadata: ["user": "\(signed.user.name)", "item.id": "\(id)"])
                        return Web.html(ItemPage.render(detail, viewer: signed.viewer, reveal: false, flash: nil,
                                                        error: "The reply guard refused this reply: \(refusal). Edit it and try again.",
                                                        draftText: edited, undo: try database.lastUndoable(actor: signed.user.name)), status: .unprocessableContent)
                    }
                    text = edited
                }
                do {
                    try database.review(itemID: id, action: action, actor: signed.user.name, text: text, assignee: form["assignee"])
                    Counter(label: "threadguard_review_actions_total", dimensions: [("action", action.rawValue)]).increment()
                } catch let error as ReviewError {
                    return try conflict(error)
                }
                if [.approve, .hide, .unhide].contains(action), let runActions { await runActions() }
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
}

/// One flagged item: its thread, its findings (masked until revealed), why it was flagged, the drafted reply and
/// the actions.
enum ItemPage {

    static func render(_ detail: ReviewDetail, viewer: Layout.Viewer, reveal: Bool, flash: String?, error: String? = nil,
                       draftText: String? = nil, undo: UndoRecord?) -> String {
        let item = detail.item
        return Layout.page(title: "Item \(item.id ?? 0) · \(item.platform)", viewer: viewer, active: "/queue", flash: flash) { html in
            if let error { html.element("p", [("class", "error"), ("role", "alert")], text: error) }
            html.element("p", [("class", "meta")]) { p in
                p.text("Status: \(detail.review?.status ?? "not queued") · priority \(detail.review?.priority ?? detail.decision?.priority ?? 0)")
                if let assignee = detail.review?.assignee { p.text(" · assigned to \(assignee)") }
                p.text(" · source \(item.sourceName) · posted \(Web.relative(item.createdAt))")
                if let link = HTML.safeURL(item.permalink) {
                    p.text(" · ")
                    p.element("a", [("href", link), ("rel", "noopener noreferrer"), ("target", "_blank")], text: "open on \(item.platform)")
                }
            }
            html.element("h2", text: "Thread")
            html.element("ol", [("class", "thread"), ("aria-label", "The thread, oldest first")]) { list in
                // A reveal unmasks this item only (it is the one audited); the rest of the thread stays masked.
                for ancestor in detail.ancestors {
                    entry(ancestor, findings: ancestor.id.flatMap { detail.threadFindings[$0] } ?? [], reveal: false, current: false, into: &list)
                }
                entry(item, findings: detail.findings, reveal: reveal, current: true, into: &list)
                for sibling in detail.siblings.prefix(8) {
                    entry(sibling, findings: sibling.id.flatMap { detail.threadFindings[$0] } ?? [], reveal: false, current: false, into: &list)
                }
            }
            if !reveal, detail.findings.contains(where: { $0.type != "HEALTH" }) {
                form("/item/\(item.id!)/reveal", viewer: viewer, into: &html) { f in
                    f.element("button", [("type", "submit"), ("data-key", "reveal")], text: "Reveal PHI (recorded)")
                }
            }
            html.element("h2", text: "Why it was flagged")
            html.element("ul", [("class", "why")]) { list in
                if let decision = detail.decision {
                    list.element("li", text: "PHI: \(decision.phi ? "yes" : "no") (score \(String(format: "%.2f", decision.score)), about \(decision.subject.replacingOccurrences(of: "_", with: " ")))")
                    list.element("li", text: "Categories: " + (JSONDecoding.strings(decision.categories).joined(separator: ", ").nonEmpty ?? "none"))
                    list.element("li", text: "Rules: " + (JSONDecoding.strings(decision.rules).joined(separator: ", ").nonEmpty ?? "none"))
                    let shadowRules = JSONDecoding.strings(decision.shadowRules)
                    if !shadowRules.isEmpty {
                        let would = JSONDecoding.strings(decision.shadowActions).map(ShadowPage.phrase)
                        list.element("li", [("class", "shadow")], text: "Shadow rules (recorded, not acted on): \(shadowRules.joined(separator: ", ")) — "
                                     + (would.isEmpty ? "would have done nothing more" : "would have " + would.joined(separator: ", ")))
                    }
                }
                for finding in detail.findings.sorted(by: { $0.start < $1.start }) {
                    list.element("li", text: "\(finding.type) found by \(finding.recognizer), score \(String(format: "%.2f", finding.score)), characters \(finding.start)–\(finding.end)")
                }
            }
            replies(detail, viewer: viewer, draftText: draftText, into: &html)
            if let ae = detail.adverseEvent {
                html.element("h2", text: "Adverse-event intake")
                html.element("p", text: "Status \(ae.status); aware \(ae.awareAt.formatted(.iso8601)); due \(ae.dueAt.formatted(.iso8601)).")
            }
            html.element("h2", text: "Actions")
            html.element("div", [("class", "actions")]) { actions in
                button("hide", "Hide on \(item.platform)", key: "hide", item: item, viewer: viewer, into: &actions)
                button("unhide", "Unhide", key: "unhide", item: item, viewer: viewer, into: &actions)
                button("dismiss", "Dismiss (no action needed)", key: "dismiss", item: item, viewer: viewer, into: &actions)
                button("escalate", "Escalate for a call", key: "escalate", item: item, viewer: viewer, into: &actions)
                if detail.review?.status != "open" { button("reopen", "Reopen", key: "reopen", item: item, viewer: viewer, into: &actions) }
                if detail.adverseEvent?.status == "open" { button("ae_reported", "Mark adverse event reported", key: "ae_reported", item: item, viewer: viewer, into: &actions) }
                if viewer.role != "reviewer" {
                    form("/item/\(item.id!)/act", viewer: viewer, into: &actions) { f in
                        f.element("input", [("type", "hidden"), ("name", "action"), ("value", "assign")])
                        f.element("label") { l in
                            l.text("Assign to ")
                            l.element("input", [("type", "text"), ("name", "assignee"), ("value", detail.review?.assignee ?? ""), ("size", "10"), ("data-key", "assign")])
                        }
                        f.element("button", [("type", "submit")], text: "Assign")
                    }
                }
                if let undo {
                    form("/undo", viewer: viewer, into: &actions) { f in
                        f.element("button", [("type", "submit"), ("data-key", "undo")], text: "Undo my last action (\(undo.action.replacingOccurrences(of: "_", with: " ")) on item \(undo.itemID))")
                    }
                }
            }
        }
    }

    /// A reply a person can approve: drafted, or given up and to be tried again.
    static func isApprovable(_ action: ActionRecord) -> Bool {
        (action.kind == ActionKind.privateReply.rawValue || action.kind == ActionKind.publicReply.rawValue)
            && (action.status == ActionStatus.draft.rawValue || action.status == ActionStatus.dead.rawValue)
    }

    static func replies(_ detail: ReviewDetail, viewer: Layout.Viewer, draftText: String?, into html: inout HTML) {
        let replies = detail.actions.filter { $0.kind == ActionKind.privateReply.rawValue || $0.kind == ActionKind.publicReply.rawValue }
        guard !replies.isEmpty else { return }
        html.element("h2", text: "Reply")
        for reply in replies {
            let label = reply.kind == ActionKind.privateReply.rawValue ? "Private reply" : "Public reply"
            html.element("p", [("class", "meta")], text: "\(label) · \(reply.status)" + (reply.template.map { " · template \($0)" } ?? ""))
            if let note = reply.lastError { html.element("p", [("class", reply.status == "dead" ? "error" : "meta")], text: note) }
            if reply.status == ActionStatus.draft.rawValue || reply.status == ActionStatus.dead.rawValue {
                form("/item/\(detail.item.id!)/act", viewer: viewer, into: &html) { f in
                    f.element("input", [("type", "hidden"), ("name", "action"), ("value", "approve")])
                    f.element("label", [("for", "reply-\(reply.id!)")], text: "Reply text (the reply guard checks it before it goes out)")
                    f.element("textarea", [("id", "reply-\(reply.id!)"), ("name", "reply"), ("rows", "4")], text: draftText ?? reply.payload ?? "")
                    f.element("button", [("type", "submit"), ("class", "primary"), ("data-key", "approve")], text: "Approve and send")
                }
            } else {
                html.element("blockquote", text: reply.payload ?? "")
            }
        }
    }

    static func entry(_ item: ItemRecord, findings: [FindingRecord], reveal: Bool, current: Bool, into html: inout HTML) {
        let classes = [item.isBrand ? "brand" : nil, current ? "current" : nil].compactMap { $0 }.joined(separator: " ")
        html.element("li", [("class", classes.isEmpty ? nil : classes), ("aria-current", current ? "true" : nil)]) { li in
            li.element("div", [("class", "meta")], text: "\(item.isBrand ? "Brand" : item.authorName) · \(item.kind) · \(Web.relative(item.createdAt))" + (item.isHidden ? " · hidden" : ""))
            li.element("p") { p in MaskedText.render(item.text, findings: findings, reveal: reveal, into: &p) }
        }
    }

    static func form(_ action: String, viewer: Layout.Viewer, into html: inout HTML, _ content: (inout HTML) -> Void) {
        html.element("form", [("method", "post"), ("action", action)]) { f in
            Layout.csrf(viewer.csrf, into: &f)
            content(&f)
        }
    }

    static func button(_ action: String, _ label: String, key: String?, item: ItemRecord, viewer: Layout.Viewer, into html: inout HTML) {
        form("/item/\(item.id!)/act", viewer: viewer, into: &html) { f in
            f.element("input", [("type", "hidden"), ("name", "action"), ("value", action)])
            f.element("button", [("type", "submit"), ("data-key", key), ("class", action == "hide" ? "danger" : nil)], text: label)
        }
    }
}

enum JSONDecoding {
    static func strings(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
