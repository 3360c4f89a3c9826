import Foundation
import Hummingbird
import ThreadGuardStore

extension ReviewApp {
    func registerShadow(on router: Router<ReviewContext>) {
        router.get("/shadow") { request, _ in
            guard let signed = signedIn(request) else { return Web.redirect("/login") }
            let rule = Web.query(request, "rule").flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
            return Web.html(ShadowPage.render(try database.shadowOutcomes(rule: rule), rule: rule, viewer: signed.viewer))
        }
    }
}

/// What shadow rules would have done: the items they fired on (queued or not) and the actions they would have added.
/// Policy authors read it before switching a rule to enforce.
enum ShadowPage {
    static func render(_ outcomes: [ShadowOutcome], rule: String?, viewer: Layout.Viewer) -> String {
        Layout.page(title: "Shadow rules", viewer: viewer, active: "/shadow") { html in
            html.element("p", [("class", "meta")],
                         text: "Rules in shadow mode are evaluated on every comment and recorded, never acted on. "
                             + (rule.map { "Rule \($0): " } ?? "") + "\(outcomes.count) item(s), newest first.")
            html.element("table", [("class", "queue")]) { table in
                table.element("thead") { head in
                    head.element("tr") { tr in
                        for title in ["Item", "Platform", "Shadow rules", "Would have", "In the queue"] { tr.element("th", [("scope", "col")], text: title) }
                    }
                }
                table.element("tbody") { body in
                    for outcome in outcomes {
                        body.element("tr") { tr in
                            tr.element("td") { td in td.element("a", [("href", "/item/\(outcome.itemID)")], text: String(outcome.itemID)) }
                            tr.element("td", text: outcome.platform)
                            tr.element("td") { td in
                                for (k, name) in outcome.rules.enumerated() {
                                    if k > 0 { td.text(", ") }
                                    td.element("a", [("href", "/shadow?rule=\(name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")")], text: name)
                                }
                            }
                            tr.element("td", text: outcome.wouldHave.isEmpty ? "nothing more" : outcome.wouldHave.map(ShadowPage.phrase).joined(separator: ", "))
                            tr.element("td", text: outcome.reviewStatus ?? "not queued")
                        }
                    }
                }
            }
        }
    }

    /// "would have hidden", "would have replied privately", …
    static func phrase(_ action: String) -> String {
        switch action {
        case "hide": return "hidden"
        case "private_reply": return "replied privately"
        case "public_reply": return "replied publicly"
        case "review": return "queued for review"
        case "escalate": return "escalated"
        case "adverse_event_report": return "opened an intake"
        default: return action.replacingOccurrences(of: "_", with: " ")
        }
    }
}
