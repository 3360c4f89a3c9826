import Foundation
import Hummingbird
import ThreadGuardStore

extension ReviewApp {
    func registerQueue(on router: Router<ReviewContext>) {
        router.get("/queue") { request, _ in
            guard let signed = signedIn(request) else { return Web.redirect("/login") }
            let filter = QueuePage.filter(from: request)
            let page = try database.queue(filter)
            let flash = Notice.text(request)
            return Web.html(QueuePage.render(page, filter: filter, viewer: signed.viewer, flash: flash))
        }
    }
}

/// The flagged queue: filters, counts, a sortable table, paging.
enum QueuePage {
    static let statuses = ["open", "escalated", "resolved", "dismissed"]
    static let categories = ["phi", "adverse_event", "medical_advice", "complaint", "distress", "off_label", "misinformation", "competitor", "spam", "abuse", "other"]
    static let platforms = ["facebook", "instagram", "x", "youtube", "reddit", "mastodon"]

    static func filter(from request: Request) -> QueueFilter {
        var filter = QueueFilter()
        let status = Web.query(request, "status") ?? "open"
        filter.status = status == "all" ? nil : (statuses.contains(status) ? status : "open")
        filter.category = Web.query(request, "category").flatMap { categories.contains($0) ? $0 : nil }
        filter.platform = Web.query(request, "platform").flatMap { platforms.contains($0) ? $0 : nil }
        filter.source = Web.query(request, "source")
        // Numbers from the address are clamped to what makes sense: no value can overflow the arithmetic below.
        filter.minPriority = Web.number(request, "priority", in: 0...1000)
        filter.maxAgeHours = Web.number(request, "age", in: 1...(24 * 3650))
        filter.sort = Web.query(request, "sort").flatMap(QueueFilter.Sort.init(rawValue:)) ?? .priority
        filter.page = Web.number(request, "page", in: 1...QueueFilter.maxPage) ?? 1
        return filter
    }

    static func link(_ filter: QueueFilter, page: Int? = nil, status: String? = nil) -> String {
        var items: [URLQueryItem] = [URLQueryItem(name: "status", value: status ?? filter.status ?? "all")]
        if let value = filter.category { items.append(URLQueryItem(name: "category", value: value)) }
        if let value = filter.platform { items.append(URLQueryItem(name: "platform", value: value)) }
        if let value = filter.source { items.append(URLQueryItem(name: "source", value: value)) }
        if let value = filter.minPriority { items.append(URLQueryItem(name: "priority", value: String(value))) }
        if let value = filter.maxAgeHours { items.append(URLQueryItem(name: "age", value: String(value))) }
        items.append(URLQueryItem(name: "sort", value: filter.sort.rawValue))
        items.append(URLQueryItem(name: "page", value: String(page ?? filter.page)))
        var components = URLComponents()
        components.path = "/queue"
        components.queryItems = items
        return components.string ?? "/queue"
    }

    static func render(_ page: ThreadGuardStore.QueuePage, filter: QueueFilter, viewer: Layout.Viewer, flash: String?) -> String {
        Layout.page(title: "Review queue", viewer: viewer, active: "/queue", flash: flash) { html in
            html.element("form", [("class", "filters"), ("method", "get"), ("action", "/queue"), ("aria-label", "Filter the queue")]) { form in
                select("status", "Status", ["all"] + statuses, filter.status ?? "all", into: &form)
                select("category", "Category", [""] + categories, filter.category ?? "", into: &form)
                select("platform", "Platform", [""] + platforms, filter.platform ?? "", into: &form)
                form.element("label") { label in
                    label.text("Source")
                    label.element("input", [("type", "text"), ("name", "source"), ("value", filter.source ?? ""), ("size", "14")])
                }
                select("priority", "Priority at least", ["", "30", "50", "70", "85", "100"], filter.minPriority.map(String.init) ?? "", into: &form)
                select("age", "Posted within", ["", "24", "72", "168", "720"], filter.maxAgeHours.map(String.init) ?? "", labels: ["": "any time", "24": "1 day", "72": "3 days", "168": "7 days", "720": "30 days"], into: &form)
                select("sort", "Sort", QueueFilter.Sort.allCases.map(\.rawValue), filter.sort.rawValue, into: &form)
                form.element("button", [("type", "submit")], text: "Apply")
            }
            html.element("ul", [("class", "counts"), ("aria-label", "Items per status")]) { list in
                for status in statuses {
                    list.element("li") { li in
                        li.element("a", [("href", link(filter, page: 1, status: status))], text: "\(status): \(page.statusCounts[status] ?? 0)")
                    }
                }
                for (category, count) in page.categoryCounts.sorted(by: { $0.value > $1.value }) {
                    list.element("li", text: "open \(category.replacingOccurrences(of: "_", with: " ")): \(count)")
                }
            }
            html.element("p", [("class", "meta"), ("role", "status")], text: "\(page.total) item(s) match; page \(filter.page) of \(max(1, (page.total + filter.pageSize - 1) / filter.pageSize)).")
            html.element("table", [("class", "queue")]) { table in
                table.element("caption", [("class", "visually-hidden")], text: "Flagged items, \(filter.sort.rawValue) first")
                table.element("thead") { head in
                    head.element("tr") { tr in
                        for column in ["Priority", "Comment", "Why", "Platform", "Posted", "Status"] { tr.element("th", [("scope", "col")], text: column) }
                    }
                }
                table.element("tbody") { body in
                    for row in page.rows {
                        body.element("tr", [("data-item", String(row.itemID))]) { tr in
                            tr.element("td", text: String(row.priority))
                            tr.element("td") { td in
                                td.element("a", [("href", "/item/\(row.itemID)")]) { a in
                                    MaskedText.render(row.text, findings: row.findings, reveal: false, limit: 180, into: &a)
                                }
                                td.element("div", [("class", "meta")], text: "by \(row.authorName) · \(row.kind)")
                            }
                            tr.element("td") { td in
                                if row.phi { td.element("span", [("class", "tag phi")], text: "PHI") }
                                for category in row.categories { td.element("span", [("class", "tag")], text: category.replacingOccurrences(of: "_", with: " ")) }
                                if row.hasDraft { td.element("span", [("class", "tag draft")], text: "reply to approve") }
                                if row.hasDead { td.element("span", [("class", "tag dead")], text: "action failed") }
                            }
                            tr.element("td", text: "\(row.platform) · \(row.source)")
                            tr.element("td", text: Web.relative(row.createdAt))
                            tr.element("td", text: row.status + (row.assignee.map { " · \($0)" } ?? ""))
                        }
                    }
                }
            }
            html.element("nav", [("class", "pager"), ("aria-label", "Pages")]) { nav in
                if filter.page > 1 { nav.element("a", [("href", link(filter, page: filter.page - 1)), ("rel", "prev")], text: "← Previous") }
                if filter.page * filter.pageSize < page.total { nav.element("a", [("href", link(filter, page: filter.page + 1)), ("rel", "next")], text: "Next →") }
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
