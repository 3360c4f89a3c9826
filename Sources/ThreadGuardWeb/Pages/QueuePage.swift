import Foundation
import Hummingbird
import ThreadGuardStore

extension ReviewApp {
    func registerQueue(on router: Router<ReviewContext>) {
        router.get("/queue") { request, _ in
            guard let signed = signedIn(request) else { return Web.redirect("/login") }
            let filter = QueuePage.filter(from: request, viewer: signed.viewer.name)
            let page = try database.queue(filter)
            let users = signed.user.role == "reviewer" ? [] : try database.users().map(\.name)
            return Web.html(QueuePage.render(page, filter: filter, viewer: signed.viewer, users: users, flash: Notice.text(request)))
        }
    }
}

/// The flagged queue as a team inbox: search, views (mine, unassigned), filters, near-identical comments as one
/// row, the time left to each item's response target, and actions on many rows at once.
enum QueuePage {
    static let statuses = ["open", "escalated", "resolved", "dismissed"]
    static let categories = ["phi", "adverse_event", "medical_advice", "complaint", "distress", "off_label", "misinformation", "competitor", "spam", "abuse", "other"]
    static let platforms = ["facebook", "instagram", "x", "youtube", "reddit", "mastodon"]
    static let views = ["all", "mine", "unassigned"]

    static func filter(from request: Request, viewer: String) -> QueueFilter {
        var filter = QueueFilter()
        let status = Web.query(request, "status") ?? "open"
        filter.status = status == "all" ? nil : (statuses.contains(status) ? status : "open")
        filter.category = Web.query(request, "category").flatMap { categories.contains($0) ? $0 : nil }
        filter.platform = Web.query(request, "platform").flatMap { platforms.contains($0) ? $0 : nil }
        filter.source = Web.query(request, "source")
        filter.search = Web.query(request, "q").map { String($0.prefix(200)) }
        switch Web.query(request, "view") {
        case "mine": filter.assignee = viewer
        case "unassigned": filter.unassigned = true
        default: break
        }
        filter.grouped = Web.query(request, "group") != "0"
        // Numbers from the address are clamped to what makes sense: no value can overflow the arithmetic below.
        filter.minPriority = Web.number(request, "priority", in: 0...1000)
        filter.maxAgeHours = Web.number(request, "age", in: 1...(24 * 3650))
        filter.sort = Web.query(request, "sort").flatMap(QueueFilter.Sort.init(rawValue:)) ?? .priority
        filter.page = Web.number(request, "page", in: 1...QueueFilter.maxPage) ?? 1
        return filter
    }

    static func view(of filter: QueueFilter) -> String {
        filter.unassigned ? "unassigned" : (filter.assignee != nil ? "mine" : "all")
    }

    static func link(_ filter: QueueFilter, page: Int? = nil, status: String? = nil, view: String? = nil) -> String {
        var items: [URLQueryItem] = [URLQueryItem(name: "status", value: status ?? filter.status ?? "all")]
        let chosenView = view ?? Self.view(of: filter)
        if chosenView != "all" { items.append(URLQueryItem(name: "view", value: chosenView)) }
        if let value = filter.search { items.append(URLQueryItem(name: "q", value: value)) }
        if let value = filter.category { items.append(URLQueryItem(name: "category", value: value)) }
        if let value = filter.platform { items.append(URLQueryItem(name: "platform", value: value)) }
        if let value = filter.source { items.append(URLQueryItem(name: "source", value: value)) }
        if let value = filter.minPriority { items.append(URLQueryItem(name: "priority", value: String(value))) }
        if let value = filter.maxAgeHours { items.append(URLQueryItem(name: "age", value: String(value))) }
        if !filter.grouped { items.append(URLQueryItem(name: "group", value: "0")) }
        items.append(URLQueryItem(name: "sort", value: filter.sort.rawValue))
        items.append(URLQueryItem(name: "page", value: String(page ?? filter.page)))
        var components = URLComponents()
        components.path = "/queue"
        components.queryItems = items
        return components.string ?? "/queue"
    }

    static func render(_ page: ThreadGuardStore.QueuePage, filter: QueueFilter, viewer: Layout.Viewer, users: [String], flash: String?) -> String {
        let now = Date()
        return Layout.page(title: "Review queue", viewer: viewer, active: "/queue", flash: flash, keys: Shortcuts.queue) { html in
            html.element("nav", [("class", "views"), ("aria-label", "Views")]) { nav in
                for view in views {
                    nav.element("a", [("href", link(filter, page: 1, view: view)), ("aria-current", Self.view(of: filter) == view ? "page" : nil)],
                                text: view == "all" ? "Everyone's" : (view == "mine" ? "Assigned to me" : "Unassigned"))
                }
            }
            filters(filter, into: &html)
            html.element("ul", [("class", "counts"), ("aria-label", "Rows per status")]) { list in
                for status in statuses {
                    list.element("li") { li in
                        li.element("a", [("href", link(filter, page: 1, status: status))], text: "\(status): \(page.statusCounts[status] ?? 0)")
                    }
                }
                for (category, count) in page.categoryCounts.sorted(by: { $0.value > $1.value }) {
                    list.element("li", text: "open \(category.replacingOccurrences(of: "_", with: " ")): \(count)")
                }
            }
            html.element("p", [("class", "meta"), ("role", "status")],
                         text: "\(page.total) row(s) match" + (filter.isGrouped ? " (near-identical comments are one row)" : "")
                            + "; page \(filter.page) of \(max(1, (page.total + filter.pageSize - 1) / filter.pageSize)).")
            bulkBar(filter, viewer: viewer, users: users, into: &html)
            html.element("table", [("class", "queue")]) { table in
                table.element("caption", [("class", "visually-hidden")], text: "Flagged items, \(filter.sort.rawValue) first")
                table.element("thead") { head in
                    head.element("tr") { tr in
                        tr.element("th", [("scope", "col")]) { th in th.element("span", [("class", "visually-hidden")], text: "Select") }
                        for column in ["Priority", "Comment", "Why", "Time left", "Status"] { tr.element("th", [("scope", "col")], text: column) }
                    }
                }
                table.element("tbody") { body in
                    for row in page.rows { self.row(row, grouped: filter.isGrouped && row.groupCount > 1, now: now, into: &body) }
                }
            }
            if page.rows.isEmpty { html.element("p", [("class", "meta")], text: "Nothing here: no item matches.") }
            html.element("nav", [("class", "pager"), ("aria-label", "Pages")]) { nav in
                if filter.page > 1 { nav.element("a", [("href", link(filter, page: filter.page - 1)), ("rel", "prev")], text: "← Previous") }
                if filter.page * filter.pageSize < page.total { nav.element("a", [("href", link(filter, page: filter.page + 1)), ("rel", "next")], text: "Next →") }
            }
        }
    }

    static func filters(_ filter: QueueFilter, into html: inout HTML) {
        // On a phone the script folds the filters away (the search stays); without script they stay open.
        html.element("details", [("class", "filters"), ("open", "open")]) { details in
            details.element("summary", text: "Search and filters")
            filterForm(filter, into: &details)
        }
    }

    static func filterForm(_ filter: QueueFilter, into html: inout HTML) {
        html.element("form", [("class", "filters"), ("method", "get"), ("action", "/queue"), ("aria-label", "Search and filter the queue")]) { form in
            form.element("label", [("class", "search")]) { label in
                label.text("Search")
                label.element("input", [("type", "search"), ("name", "q"), ("value", filter.search ?? ""), ("placeholder", "words of the comment"),
                                         ("data-key", "search")])
            }
            if view(of: filter) != "all" { form.element("input", [("type", "hidden"), ("name", "view"), ("value", view(of: filter))]) }
            select("status", "Status", ["all"] + statuses, filter.status ?? "all", into: &form)
            select("category", "Category", [""] + categories, filter.category ?? "", into: &form)
            select("platform", "Platform", [""] + platforms, filter.platform ?? "", into: &form)
            form.element("label") { label in
                label.text("Source")
                label.element("input", [("type", "text"), ("name", "source"), ("value", filter.source ?? ""), ("size", "10")])
            }
            select("priority", "Priority at least", ["", "30", "50", "70", "85", "100"], filter.minPriority.map(String.init) ?? "", into: &form)
            select("age", "Posted within", ["", "24", "72", "168", "720"], filter.maxAgeHours.map(String.init) ?? "",
                   labels: ["": "any time", "24": "1 day", "72": "3 days", "168": "7 days", "720": "30 days"], into: &form)
            select("sort", "Sort", QueueFilter.Sort.allCases.map(\.rawValue), filter.sort.rawValue, labels: ["due": "time left"], into: &form)
            select("group", "Near-identical", ["1", "0"], filter.grouped ? "1" : "0", labels: ["1": "as one row", "0": "each apart"], into: &form)
            form.element("button", [("type", "submit")], text: "Apply")
        }
    }

    /// Actions on the chosen rows: each item is acted on and audited on its own (a group row stands for its items).
    static func bulkBar(_ filter: QueueFilter, viewer: Layout.Viewer, users: [String], into html: inout HTML) {
        html.element("form", [("id", "bulk"), ("class", "bulk"), ("method", "post"), ("action", "/bulk"), ("aria-label", "Act on the selected rows")]) { form in
            Layout.csrf(viewer.csrf, into: &form)
            form.element("input", [("type", "hidden"), ("name", "return"), ("value", link(filter))])
            form.element("span", [("class", "meta")], text: "Selected rows:")
            form.element("button", [("type", "submit"), ("name", "action"), ("value", "dismiss"), ("data-key", "dismiss")], text: "Dismiss")
            form.element("button", [("type", "submit"), ("name", "action"), ("value", "approve"), ("data-key", "approve")], text: "Approve replies")
            form.element("button", [("type", "submit"), ("name", "action"), ("value", "hide"), ("data-key", "hide"), ("class", "danger")], text: "Hide")
            form.element("button", [("type", "submit"), ("name", "action"), ("value", "escalate"), ("data-key", "escalate")], text: "Escalate")
            form.element("button", [("type", "submit"), ("name", "action"), ("value", "take"), ("data-key", "take")], text: "Assign to me")
            if viewer.role != "reviewer" {
                form.element("label") { label in
                    label.text("Assign to ")
                    label.element("select", [("name", "assignee"), ("data-key", "assign")]) { select in
                        select.element("option", [("value", "")], text: "nobody")
                        for user in users { select.element("option", [("value", user)], text: user) }
                    }
                }
                form.element("button", [("type", "submit"), ("name", "action"), ("value", "assign")], text: "Assign")
            }
        }
    }

    /// `grouped`: the row stands for its group (its checkbox selects them all).
    static func row(_ row: QueueRow, grouped: Bool, now: Date, into body: inout HTML) {
        let due = row.status == "open" ? row.dueAt : nil
        let overdue = due.map { $0 < now } ?? false
        body.element("tr", [("data-item", String(row.itemID)), ("data-group-count", grouped ? String(row.groupCount) : nil),
                            ("class", overdue ? "breach" : nil)]) { tr in
            tr.element("td", [("class", "pick")]) { td in
                td.element("input", [("type", "checkbox"), ("form", "bulk"), ("name", grouped ? "group" : "item"), ("value", String(row.itemID)),
                                     ("aria-label", grouped ? "Select the group of \(row.groupCount) with item \(row.itemID)" : "Select item \(row.itemID)")])
            }
            tr.element("td", [("class", "priority")], text: String(row.priority))
            tr.element("td", [("class", "comment")]) { td in
                td.element("a", [("href", "/item/\(row.itemID)")]) { a in
                    MaskedText.render(row.text, findings: row.findings, limit: 180, into: &a)
                }
                if grouped {
                    td.element("span", [("class", "tag group")], text: "×\(row.groupCount) near-identical · \(row.groupPlatforms.joined(separator: ", "))")
                }
                td.element("div", [("class", "meta")], text: "by \(row.authorName) · \(row.kind) · \(row.platform) · \(row.source) · \(Web.relative(row.createdAt))")
            }
            tr.element("td", [("class", "why")]) { td in
                if row.phi { td.element("span", [("class", "tag phi")], text: "PHI") }
                for category in row.categories { td.element("span", [("class", "tag")], text: category.replacingOccurrences(of: "_", with: " ")) }
                if row.hasDraft { td.element("span", [("class", "tag draft")], text: "reply to approve") }
                if row.hasDead { td.element("span", [("class", "tag dead")], text: "action failed") }
            }
            tr.element("td", [("class", "due")]) { td in
                if let due {
                    td.element("span", [("class", overdue ? "timer breach" : "timer"), ("data-due", due.formatted(.iso8601))],
                               text: TimeLeft.phrase(due: due, now: now))
                    td.element("div", [("class", "meta")], text: row.target.replacingOccurrences(of: "_", with: " ") + " target")
                } else {
                    td.element("span", [("class", "meta")], text: "—")
                }
            }
            tr.element("td", [("class", "status")]) { td in
                td.text(row.closedBy == "automation" ? "closed by the automation" : row.status)
                if let assignee = row.assignee { td.element("div", [("class", "meta")], text: "assigned to \(assignee)") }
            }
        }
    }

    static func select(_ name: String, _ label: String, _ options: [String], _ selected: String, labels: [String: String] = [:],
                       into html: inout HTML) {
        html.element("label") { l in
            l.text(label)
            l.element("select", [("name", name)]) { s in
                for option in options {
                    s.element("option", [("value", option), ("selected", option == selected ? "selected" : nil)],
                              text: labels[option] ?? (option.isEmpty ? "any" : option.replacingOccurrences(of: "_", with: " ")))
                }
            }
        }
    }
}

/// "12 min left", "overdue by 25 min".
enum TimeLeft {
    static func phrase(due: Date, now: Date) -> String {
        let left = due.timeIntervalSince(now)
        return left >= 0 ? "\(ResponseTargets.phrase(left)) left" : "overdue by \(ResponseTargets.phrase(-left))"
    }
}
