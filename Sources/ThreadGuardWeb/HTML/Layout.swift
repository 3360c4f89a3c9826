import Foundation

/// The page chrome: landmarks (banner, navigation, main), a skip link, the signed-in person and sign-out.
enum Layout {
    struct Viewer {
        var name: String
        var role: String
        var csrf: String
    }

    static func page(title: String, viewer: Viewer?, active: String = "", flash: String? = nil, keys: [Shortcuts.Key] = [],
                     content: (inout HTML) -> Void) -> String {
        var html = HTML()
        html.raw("<!doctype html>")
        html.element("html", [("lang", "en")]) { html in
            html.element("head") { head in
                head.element("meta", [("charset", "utf-8")])
                head.element("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
                head.element("title", text: "\(title) · ThreadGuard")
                head.element("link", [("rel", "stylesheet"), ("href", "/static/app.css")])
                head.element("script", [("src", "/static/app.js"), ("defer", "")])
            }
            html.element("body") { body in
                body.element("a", [("class", "skip"), ("href", "#main")], text: "Skip to content")
                body.element("header", [("class", "top")]) { header in
                    header.element("span", [("class", "brand")], text: "ThreadGuard")
                    if let viewer {
                        header.element("nav", [("aria-label", "Main")]) { nav in
                            for (href, label) in [("/queue", "Queue"), ("/dashboard", "Dashboard"), ("/shadow", "Shadow rules")] + (viewer.role == "admin" ? [("/admin/users", "Users")] : []) {
                                nav.element("a", [("href", href), ("aria-current", active == href ? "page" : nil)], text: label)
                            }
                        }
                        header.element("form", [("method", "post"), ("action", "/logout"), ("class", "signout")]) { form in
                            form.element("input", [("type", "hidden"), ("name", "csrf"), ("value", viewer.csrf)])
                            form.element("span", [("class", "who")], text: "\(viewer.name) (\(viewer.role))")
                            form.element("button", [("type", "submit")], text: "Sign out")
                        }
                    }
                }
                body.element("main", [("id", "main"), ("tabindex", "-1")]) { main in
                    if let flash { main.element("p", [("class", "flash"), ("role", "status")], text: flash) }
                    main.element("h1", text: title)
                    content(&main)
                }
                if !keys.isEmpty {
                    Shortcuts.overlay(keys, into: &body)
                    body.element("footer") { footer in
                        footer.element("button", [("type", "button"), ("class", "link"), ("data-open", "shortcuts")], text: "Keyboard shortcuts (press ?)")
                    }
                }
            }
        }
        return html.description
    }

    /// A hidden CSRF field for a form.
    static func csrf(_ token: String, into html: inout HTML) {
        html.element("input", [("type", "hidden"), ("name", "csrf"), ("value", token)])
    }
}
