import Foundation
import Hummingbird
import ThreadGuardStore
import ThreadGuardWorkflow

extension ReviewApp {
    func registerDashboard(on router: Router<ReviewContext>) {
        router.get("/dashboard") { request, _ in
            guard let signed = signedIn(request) else { return Web.redirect("/login") }
            let days = 14
            return Web.html(try DashboardPage.render(
                flags: try database.flagsPerDay(days: days), depth: try database.queueDepth(days: days),
                firstAction: try database.timeToFirstAction(days: days), handling: try database.handling(days: days),
                days: days, sources: try database.sourceRecords(), viewer: signed.viewer) { html in
                    let now = Date()
                    DashboardTargets.breaches(try database.responseBreaches(now: now, since: now.addingTimeInterval(-7 * 86_400)),
                                              targets: settings.responseTargets, into: &html)
                    DashboardTargets.containment(containment, into: &html)
                })
        }
    }
}

/// Charts drawn on the server as SVG (no script, no external library).
enum DashboardPage {

    static func render(flags: [DayCount], depth: [DayCount], firstAction: [DayCount], handling: [DayCount], days: Int,
                       sources: [SourceRecord] = [], viewer: Layout.Viewer, top: (inout HTML) throws -> Void = { _ in }) rethrows -> String {
        let dayList = lastDays(days)
        var topHTML = HTML()
        try top(&topHTML)
        return Layout.page(title: "Dashboard", viewer: viewer, active: "/dashboard") { html in
            html.raw(topHTML.description)
            sourcesTable(sources, into: &html)
            html.element("div", [("class", "charts")]) { grid in
                figure("Flags per day by category", into: &grid) { f in
                    SVGChart.stackedBars(days: dayList, series: flags, label: "flags", into: &f)
                }
                figure("Queue depth (open items at day's end)", into: &grid) { f in
                    SVGChart.line(days: dayList, values: depth, label: "open items", into: &f)
                }
                figure("Time to first action (median minutes)", into: &grid) { f in
                    SVGChart.line(days: dayList, values: firstAction, label: "minutes", into: &f)
                }
                figure("Automated versus human handling", into: &grid) { f in
                    SVGChart.stackedBars(days: dayList, series: handling, label: "actions", into: &f)
                }
            }
        }
    }

    /// Each source's health, so that a refused token or a failing source is seen where the team works
    /// (`threadguard status` has the same and more).
    static func sourcesTable(_ sources: [SourceRecord], into html: inout HTML) {
        guard !sources.isEmpty else { return }
        let now = Date()
        html.element("table", [("class", "sources")]) { table in
            table.element("caption", text: "Sources")
            table.element("thead") { head in
                head.element("tr") { tr in for title in ["Source", "Platform", "State", "Last success"] { tr.element("th", [("scope", "col")], text: title) } }
            }
            table.element("tbody") { body in
                for source in sources {
                    let state: String
                    if source.needsToken { state = "needs a new access token" }
                    else if let since = source.failingSince { state = "failing for \(StatusReport.age(now.timeIntervalSince(since))) (\((source.errorKind ?? "error").replacingOccurrences(of: "_", with: " ")))" }
                    else if source.lastPolledAt == nil { state = "not polled yet" }
                    else { state = "ok" }
                    body.element("tr", [("class", state == "ok" ? nil : "error")]) { tr in
                        tr.element("th", [("scope", "row")], text: source.name)
                        tr.element("td", text: source.connector)
                        tr.element("td", text: state)
                        tr.element("td", text: source.lastSuccessAt.map { "\(StatusReport.age(now.timeIntervalSince($0))) ago" } ?? "never")
                    }
                }
            }
        }
    }

    static func figure(_ caption: String, into html: inout HTML, _ content: (inout HTML) -> Void) {
        html.element("figure") { f in
            f.element("figcaption", text: caption)
            content(&f)
        }
    }

    static func lastDays(_ count: Int) -> [String] {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return (0..<count).reversed().map { formatter.string(from: Date().addingTimeInterval(-Double($0) * 86_400)) }
    }
}

/// Minimal accessible SVG charts: a title and a description for screen readers, and the numbers as a table.
enum SVGChart {
    static let palette = ["#1f5fbf", "#d9822b", "#2e8b57", "#b23a48", "#6f4e9c", "#8c6d1f", "#178c95", "#5b6577", "#c05299", "#3a7d44", "#9c6644"]
    static let width = 520.0, height = 200.0, left = 36.0, bottom = 24.0

    static func stackedBars(days: [String], series: [DayCount], label: String, into html: inout HTML) {
        let keys = Array(Set(series.map(\.key))).sorted()
        var totals: [String: Int] = [:]
        for entry in series { totals[entry.day, default: 0] += entry.count }
        let top = max(1, totals.values.max() ?? 1)
        let slot = (width - left) / Double(max(1, days.count))
        html.element("svg", [("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("role", "img"), ("aria-label", "\(label) per day, last \(days.count) days")]) { svg in
            axis(top: top, into: &svg)
            for (index, day) in days.enumerated() {
                var y = height - bottom
                for (k, key) in keys.enumerated() {
                    let count = series.first { $0.day == day && $0.key == key }?.count ?? 0
                    guard count > 0 else { continue }
                    let h = Double(count) / Double(top) * (height - bottom - 10)
                    y -= h
                    svg.element("rect", [("x", fmt(left + Double(index) * slot + 2)), ("y", fmt(y)), ("width", fmt(slot - 4)), ("height", fmt(h)),
                                         ("fill", palette[k % palette.count])]) { r in r.element("title", text: "\(day) \(key): \(count)") }
                }
                if index % 3 == 0 { svg.element("text", [("x", fmt(left + Double(index) * slot)), ("y", fmt(height - 6)), ("font-size", "10")], text: String(day.suffix(5))) }
            }
        }
        legend(keys, into: &html)
    }

    static func line(days: [String], values: [DayCount], label: String, into html: inout HTML) {
        let top = max(1, values.map(\.count).max() ?? 1)
        let slot = (width - left) / Double(max(1, days.count - 1))
        var points: [String] = []
        for (index, day) in days.enumerated() {
            guard let value = values.first(where: { $0.day == day })?.count else { continue }
            points.append("\(fmt(left + Double(index) * slot)),\(fmt(height - bottom - Double(value) / Double(top) * (height - bottom - 10)))")
        }
        html.element("svg", [("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("role", "img"), ("aria-label", "\(label) per day, last \(days.count) days")]) { svg in
            axis(top: top, into: &svg)
            svg.element("polyline", [("points", points.joined(separator: " ")), ("fill", "none"), ("stroke", palette[0]), ("stroke-width", "2")])
            for (index, day) in days.enumerated() where index % 3 == 0 {
                svg.element("text", [("x", fmt(left + Double(index) * slot)), ("y", fmt(height - 6)), ("font-size", "10")], text: String(day.suffix(5)))
            }
        }
        html.element("p", [("class", "meta")], text: values.isEmpty ? "No data yet." : "Latest: \(values.last!.count) \(label).")
    }

    static func axis(top: Int, into svg: inout HTML) {
        svg.element("line", [("x1", fmt(left)), ("y1", "10"), ("x2", fmt(left)), ("y2", fmt(height - bottom)), ("stroke", "#aab3c2")])
        svg.element("line", [("x1", fmt(left)), ("y1", fmt(height - bottom)), ("x2", fmt(width)), ("y2", fmt(height - bottom)), ("stroke", "#aab3c2")])
        svg.element("text", [("x", "2"), ("y", "16"), ("font-size", "10")], text: String(top))
        svg.element("text", [("x", "2"), ("y", fmt(height - bottom)), ("font-size", "10")], text: "0")
    }

    static func legend(_ keys: [String], into html: inout HTML) {
        html.element("ul", [("class", "counts"), ("aria-label", "Legend")]) { list in
            for (k, key) in keys.enumerated() {
                list.element("li") { li in
                    li.element("svg", [("width", "10"), ("height", "10"), ("aria-hidden", "true")]) { s in
                        s.element("rect", [("width", "10"), ("height", "10"), ("fill", palette[k % palette.count])])
                    }
                    li.text(" " + key.replacingOccurrences(of: "_", with: " "))
                }
            }
        }
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
