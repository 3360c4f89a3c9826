import Foundation
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardWorkflow

/// The dashboard's response targets (items past them now, and answered late this week) and what each platform's
/// moderation actions really achieve.
enum DashboardTargets {
    static func breaches(_ breaches: ResponseBreaches, targets: ResponseTargets, into html: inout HTML) {
        html.element("table", [("class", "targets")]) { table in
            table.element("caption", text: "Response targets")
            table.element("thead") { head in
                head.element("tr") { tr in
                    for title in ["Kind", "Target", "Waiting past it now", "Answered late (7 days)"] { tr.element("th", [("scope", "col")], text: title) }
                }
            }
            table.element("tbody") { body in
                for target in ResponseTargets.Target.allCases {
                    let waiting = breaches.waiting[target.rawValue] ?? 0
                    body.element("tr", [("class", waiting > 0 ? "error" : nil), ("data-target", target.rawValue)]) { tr in
                        tr.element("th", [("scope", "row")], text: target.rawValue.replacingOccurrences(of: "_", with: " "))
                        tr.element("td", text: targets[target].description)
                        tr.element("td", [("class", "waiting")], text: String(waiting))
                        tr.element("td", [("class", "late")], text: String(breaches.late[target.rawValue] ?? 0))
                    }
                }
            }
        }
    }

    static func containment(_ containment: [String: [ActionKind: Containment]], into html: inout HTML) {
        guard !containment.isEmpty else { return }
        html.element("table", [("class", "hides")]) { table in
            table.element("caption", text: "What “hide” achieves on each platform")
            table.element("thead") { head in
                head.element("tr") { tr in for title in ["Platform", "Hide does", "Still visible to", "Undo"] { tr.element("th", [("scope", "col")], text: title) } }
            }
            table.element("tbody") { body in
                for platform in containment.keys.sorted() {
                    guard let hide = containment[platform]?[.hide] else { continue }
                    body.element("tr") { tr in
                        tr.element("th", [("scope", "row")], text: platform)
                        tr.element("td", text: hide.does)
                        tr.element("td", text: hide.stillVisibleTo)
                        tr.element("td", text: hide.reversible ? "possible" : "not possible")
                    }
                }
            }
        }
    }
}
