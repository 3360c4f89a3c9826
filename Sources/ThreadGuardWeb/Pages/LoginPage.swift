/// Sign-in with a name and password (local users, bcrypt).
enum LoginPage {
    static func render(csrf: String, error: String?) -> String {
        Layout.page(title: "Sign in", viewer: nil) { html in
            if let error { html.element("p", [("class", "error"), ("role", "alert")], text: error) }
            html.element("form", [("class", "login"), ("method", "post"), ("action", "/login")]) { form in
                Layout.csrf(csrf, into: &form)
                form.element("label") { label in
                    label.text("Name")
                    label.element("input", [("type", "text"), ("name", "name"), ("autocomplete", "username"), ("required", "required"), ("autofocus", "autofocus")])
                }
                form.element("label") { label in
                    label.text("Password")
                    label.element("input", [("type", "password"), ("name", "password"), ("autocomplete", "current-password"), ("required", "required")])
                }
                form.element("button", [("type", "submit"), ("class", "primary")], text: "Sign in")
            }
        }
    }
}
