import ThreadGuardStore

/// Users and their roles (admins only).
enum AdminPage {
    static func render(users: [UserRecord], viewer: Layout.Viewer, flash: String?) -> String {
        Layout.page(title: "Users", viewer: viewer, active: "/admin/users", flash: flash) { html in
            html.element("table", [("class", "queue")]) { table in
                table.element("thead") { head in
                    head.element("tr") { tr in for column in ["Name", "Role", "Added"] { tr.element("th", [("scope", "col")], text: column) } }
                }
                table.element("tbody") { body in
                    for user in users {
                        body.element("tr") { tr in
                            tr.element("td", text: user.name)
                            tr.element("td", text: user.role)
                            tr.element("td", text: Web.relative(user.createdAt))
                        }
                    }
                }
            }
            html.element("h2", text: "Add a user")
            html.element("form", [("class", "login"), ("method", "post"), ("action", "/admin/users")]) { form in
                Layout.csrf(viewer.csrf, into: &form)
                form.element("label") { l in
                    l.text("Name")
                    l.element("input", [("type", "text"), ("name", "name"), ("required", "required")])
                }
                form.element("label") { l in
                    l.text("Role")
                    l.element("select", [("name", "role")]) { s in
                        for role in ReviewApp.roles { s.element("option", [("value", role)], text: role) }
                    }
                }
                form.element("label") { l in
                    l.text("Password (at least 12 characters)")
                    l.element("input", [("type", "password"), ("name", "password"), ("autocomplete", "new-password"), ("required", "required"), ("minlength", "12")])
                }
                form.element("button", [("type", "submit"), ("class", "primary")], text: "Add user")
            }
        }
    }
}
