import Foundation
import ThreadGuardCore
import ThreadGuardStore

/// One flagged item, decision first: what was proposed and what the automation did (with what it really achieves on
/// the platform), the drafted reply and the buttons; then why, in plain words (rule ids behind a disclosure), the
/// identifiers one reveal at a time, the group of near-identical comments, and the thread oldest first.
enum ItemPage {
    static func render(_ detail: ReviewDetail, viewer: Layout.Viewer, revealed: Set<Int64>, flash: String?, error: String? = nil,
                       draftText: String? = nil, undo: UndoRecord?, containment: [ActionKind: Containment], users: [String]) -> String {
        let item = detail.item
        let id = item.id ?? 0
        return Layout.page(title: "Item \(id) · \(item.platform)", viewer: viewer, active: "/queue", flash: flash, keys: Shortcuts.item) { html in
            if let error { html.element("p", [("class", "error"), ("role", "alert")], text: error) }
            summary(detail, into: &html)
            html.element("section", [("id", "decision"), ("class", "decision"), ("aria-label", "Decision")]) { section in
                section.element("p", [("class", "proposed")], text: PlainReasons.proposed(detail))
                for line in PlainReasons.why(detail) { section.element("p", [("class", "why")], text: line) }
                done(detail, containment: containment, into: &section)
                replies(detail, viewer: viewer, draftText: draftText, into: &section)
                buttons(detail, viewer: viewer, undo: undo, containment: containment, users: users, into: &section)
            }
            identifiers(detail, viewer: viewer, revealed: revealed, into: &html)
            if !detail.group.isEmpty { group(detail, viewer: viewer, into: &html) }
            html.element("details", [("class", "rules")]) { details in
                details.element("summary", text: "Rules, recognizers and scores")
                ruleDetails(detail, into: &details)
            }
            html.element("h2", text: "Thread, oldest first")
            html.element("ol", [("class", "thread"), ("aria-label", "The thread, oldest first")]) { list in
                // A reveal unmasks one finding of this item (the one audited); the rest of the thread stays masked.
                for ancestor in detail.ancestors {
                    entry(ancestor, findings: ancestor.id.flatMap { detail.threadFindings[$0] } ?? [], revealed: [], current: false, into: &list)
                }
                let replies = ([item] + detail.siblings).sorted { ($0.createdAt, $0.id ?? 0) < ($1.createdAt, $1.id ?? 0) }
                for other in replies {
                    let current = other.id == item.id
                    entry(other, findings: current ? detail.findings : (other.id.flatMap { detail.threadFindings[$0] } ?? []),
                          revealed: current ? revealed : [], current: current, into: &list)
                }
            }
            if let ae = detail.adverseEvent {
                html.element("h2", text: "Adverse-event intake")
                html.element("p", text: "Status \(ae.status); aware \(ae.awareAt.formatted(.iso8601)); due \(ae.dueAt.formatted(.iso8601)).")
            }
        }
    }

    static func summary(_ detail: ReviewDetail, into html: inout HTML) {
        let item = detail.item
        html.element("p", [("class", "meta summary")]) { p in
            let status = detail.review.map { $0.closedBy == "automation" ? "closed by the automation" : $0.status } ?? "not queued"
            p.text("\(status) · priority \(detail.review?.priority ?? detail.decision?.priority ?? 0)")
            if let review = detail.review, review.status == "open", let due = review.dueAt {
                p.text(" · ")
                p.element("span", [("class", due < Date() ? "timer breach" : "timer")], text: TimeLeft.phrase(due: due, now: Date()) + " (\(review.target.replacingOccurrences(of: "_", with: " ")) target)")
            }
            if let assignee = detail.review?.assignee { p.text(" · assigned to \(assignee)") }
            p.text(" · \(item.sourceName) · by \(item.authorName) · posted \(Web.relative(item.createdAt))")
            if let link = HTML.safeURL(item.permalink) {
                p.text(" · ")
                p.element("a", [("href", link), ("rel", "noopener noreferrer"), ("target", "_blank")], text: "open on \(item.platform)")
            }
        }
    }

    /// What the automation or a person already did, with what it leaves exposed on this platform.
    static func done(_ detail: ReviewDetail, containment: [ActionKind: Containment], into html: inout HTML) {
        let moderation = detail.actions.filter { [ActionKind.hide, .unhide, .delete].map(\.rawValue).contains($0.kind) && $0.status != ActionStatus.cancelled.rawValue }
        if let last = moderation.last, let kind = ActionKind(rawValue: last.kind) {
            let state = last.status == ActionStatus.done.rawValue ? "done" : last.status
            let what = containment[kind].map { ": " + $0.sentence } ?? ": what this leaves visible is not described in the connector manifest"
            html.element("p", [("class", "containment")], text: "\(kind.rawValue.capitalized) (\(state))\(what).")
        } else if let hide = containment[.hide] {
            html.element("p", [("class", "containment meta")], text: "Hide on \(detail.item.platform) \(hide.sentence).")
        }
    }

    static func replies(_ detail: ReviewDetail, viewer: Layout.Viewer, draftText: String?, into html: inout HTML) {
        let replies = detail.actions.filter { $0.kind == ActionKind.privateReply.rawValue || $0.kind == ActionKind.publicReply.rawValue }
        for reply in replies {
            let label = reply.kind == ActionKind.privateReply.rawValue ? "Private reply" : "Public reply"
            if reply.awaitsApproval {
                form("/item/\(detail.item.id!)/act", viewer: viewer, into: &html) { f in
                    f.element("input", [("type", "hidden"), ("name", "action"), ("value", "approve")])
                    f.element("label", [("for", "reply-\(reply.id!)")], text: "\(label), drafted — the reply guard checks it before it goes out")
                    if let note = reply.lastError { f.element("p", [("class", reply.status == "dead" ? "error" : "meta")], text: note) }
                    f.element("textarea", [("id", "reply-\(reply.id!)"), ("name", "reply"), ("rows", "3")], text: draftText ?? reply.payload ?? "")
                    f.element("button", [("type", "submit"), ("class", "primary"), ("data-key", "approve")], text: "Approve and send")
                }
            } else {
                html.element("p", [("class", "meta")], text: "\(label) · \(reply.status)")
                html.element("blockquote", text: reply.payload ?? "")
            }
        }
    }

    static func buttons(_ detail: ReviewDetail, viewer: Layout.Viewer, undo: UndoRecord?, containment: [ActionKind: Containment],
                        users: [String], into html: inout HTML) {
        let item = detail.item
        html.element("div", [("class", "actions")]) { actions in
            let hideLabel = containment[.hide].map { $0.does.hasPrefix("cannot hide") ? "Report to moderators" : "Hide on \(item.platform)" } ?? "Hide on \(item.platform)"
            button("hide", hideLabel, item: item, viewer: viewer, into: &actions)
            if containment[.hide]?.reversible != false { button("unhide", "Unhide", item: item, viewer: viewer, into: &actions) }
            button("dismiss", "Dismiss", item: item, viewer: viewer, into: &actions)
            button("escalate", "Escalate for a call", item: item, viewer: viewer, into: &actions)
            if detail.review?.status != "open" { button("reopen", "Reopen", item: item, viewer: viewer, into: &actions) }
            if detail.adverseEvent?.status == "open" { button("ae_reported", "Mark adverse event reported", item: item, viewer: viewer, into: &actions) }
            if detail.review?.assignee != viewer.name { button("take", "Assign to me", item: item, viewer: viewer, into: &actions) }
            if viewer.role != "reviewer" {
                form("/item/\(item.id!)/act", viewer: viewer, into: &actions) { f in
                    f.element("input", [("type", "hidden"), ("name", "action"), ("value", "assign")])
                    f.element("label") { l in
                        l.text("Assign to ")
                        l.element("select", [("name", "assignee"), ("data-key", "assign")]) { select in
                            select.element("option", [("value", "")], text: "nobody")
                            for user in users {
                                select.element("option", [("value", user), ("selected", user == detail.review?.assignee ? "selected" : nil)], text: user)
                            }
                        }
                    }
                    f.element("button", [("type", "submit")], text: "Assign")
                }
            }
            if let undo {
                form("/undo", viewer: viewer, into: &actions) { f in
                    f.element("button", [("type", "submit"), ("data-key", "undo")], text: "Undo my last action (\(undo.action.replacingOccurrences(of: "_", with: " ")) on item \(undo.itemID))")
                }
            }
            actions.element("a", [("href", "/item/\(item.id!)/next"), ("data-key", "next-item"), ("class", "button")], text: "Next item →")
            actions.element("a", [("href", "/queue"), ("data-key", "queue"), ("class", "button")], text: "Back to the queue")
        }
    }

    /// The identifiers found, each masked until a person reveals that one (audited).
    static func identifiers(_ detail: ReviewDetail, viewer: Layout.Viewer, revealed: Set<Int64>, into html: inout HTML) {
        let found = detail.findings.filter { $0.type != "HEALTH" }.sorted { $0.start < $1.start }
        guard !found.isEmpty else { return }
        html.element("ul", [("class", "identifiers"), ("aria-label", "Identifiers in this comment")]) { list in
            for finding in found {
                list.element("li", [("id", "finding-\(finding.id ?? 0)")]) { li in
                    li.text(PlainReasons.identifierWords[finding.type]?.uppercasedFirst ?? finding.type)
                    if revealed.contains(finding.id ?? 0) {
                        li.text(": ")
                        li.element("mark", [("class", "phi revealed")], text: MaskedText.piece(detail.item.text, finding))
                        li.element("span", [("class", "meta")], text: " (revealed to you; recorded)")
                    } else {
                        form("/item/\(detail.item.id!)/reveal", viewer: viewer, into: &li) { f in
                            f.element("input", [("type", "hidden"), ("name", "finding"), ("value", String(finding.id ?? 0))])
                            f.element("button", [("type", "submit"), ("class", "small"), ("data-key", "reveal")], text: "Reveal (recorded)")
                        }
                    }
                }
            }
        }
    }

    /// Near-identical comments: act on all of them, or on the ones ticked (each still acted on and audited alone).
    static func group(_ detail: ReviewDetail, viewer: Layout.Viewer, into html: inout HTML) {
        let platforms = Set(detail.group.map(\.platform)).sorted().joined(separator: ", ")
        html.element("form", [("class", "group"), ("method", "post"), ("action", "/bulk"), ("aria-label", "The group of near-identical comments")]) { form in
            Layout.csrf(viewer.csrf, into: &form)
            form.element("input", [("type", "hidden"), ("name", "return"), ("value", "/queue")])
            form.element("h2", text: "One of \(detail.group.count) near-identical comments (\(platforms))")
            form.element("details") { details in
                details.element("summary", text: "Choose which of them")
                details.element("ul") { list in
                    for member in detail.group {
                        list.element("li") { li in
                            li.element("label") { label in
                                label.element("input", [("type", "checkbox"), ("name", "item"), ("value", String(member.itemID)), ("checked", "checked")])
                                label.text(" item \(member.itemID) · \(member.platform) · by \(member.authorName) · \(Web.relative(member.createdAt))")
                            }
                        }
                    }
                }
            }
            form.element("div", [("class", "actions")]) { actions in
                for (action, label) in [("dismiss", "Dismiss them"), ("hide", "Hide them"), ("approve", "Approve their replies"), ("escalate", "Escalate them")] {
                    actions.element("button", [("type", "submit"), ("name", "action"), ("value", action), ("data-group-action", action)], text: label)
                }
            }
        }
    }

    static func ruleDetails(_ detail: ReviewDetail, into html: inout HTML) {
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
            for action in detail.actions {
                list.element("li", text: "Outbox: \(action.kind.replacingOccurrences(of: "_", with: " ")) · \(action.status)" + (action.lastError.map { " · \($0)" } ?? ""))
            }
        }
    }

    static func entry(_ item: ItemRecord, findings: [FindingRecord], revealed: Set<Int64>, current: Bool, into html: inout HTML) {
        let classes = [item.isBrand ? "brand" : nil, current ? "current" : nil].compactMap { $0 }.joined(separator: " ")
        html.element("li", [("class", classes.isEmpty ? nil : classes), ("aria-current", current ? "true" : nil)]) { li in
            li.element("div", [("class", "meta")], text: "\(item.isBrand ? "Brand" : item.authorName) · \(item.kind) · \(Web.relative(item.createdAt))" + (item.isHidden ? " · hidden" : ""))
            li.element("p") { p in MaskedText.render(item.text, findings: findings, revealed: revealed, into: &p) }
        }
    }

    static func form(_ action: String, viewer: Layout.Viewer, into html: inout HTML, _ content: (inout HTML) -> Void) {
        html.element("form", [("method", "post"), ("action", action)]) { f in
            Layout.csrf(viewer.csrf, into: &f)
            content(&f)
        }
    }

    static func button(_ action: String, _ label: String, item: ItemRecord, viewer: Layout.Viewer, into html: inout HTML) {
        form("/item/\(item.id!)/act", viewer: viewer, into: &html) { f in
            f.element("input", [("type", "hidden"), ("name", "action"), ("value", action)])
            f.element("button", [("type", "submit"), ("data-key", action), ("class", action == "hide" ? "danger" : nil)], text: label)
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
