import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import Logging
import ThreadGuardStore
import ThreadGuardWorkflow

/// The review app: sign-in, the queue, the item page, the dashboard and user administration, server-rendered.
public struct ReviewApp: Sendable {
    public let database: ThreadGuardDatabase
    /// Checks a person's edited reply with the reply guard.
    public let judge: Judge
    /// Carries out pending platform actions after a person approves, hides or unhides (nil: the next poll does).
    public let runActions: (@Sendable () async -> Void)?
    let logger: Logger

    public init(database: ThreadGuardDatabase, judge: Judge, runActions: (@Sendable () async -> Void)?, logger: Logger) {
        self.database = database
        self.judge = judge
        self.runActions = runActions
        self.logger = logger
    }

    public static let roles = ["reviewer", "lead", "admin"]

    struct Signed {
        var viewer: Layout.Viewer
        var user: UserRecord
        var tokenHash: String
    }

    func signedIn(_ request: Request) -> Signed? {
        guard let token = request.cookies[Web.sessionCookie]?.value, !token.isEmpty else { return nil }
        let hash = Web.sha256(token)
        guard let (session, user) = try? database.session(tokenHash: hash) else { return nil }
        return Signed(viewer: Layout.Viewer(name: user.name, role: user.role, csrf: session.csrf), user: user, tokenHash: hash)
    }

    /// A state-changing request: signed in, and the form carries the session's CSRF token.
    func authorizePost(_ request: Request, _ form: [String: String]) -> Authorization {
        guard let signed = signedIn(request) else {
            return .refused(Web.errorPage(.forbidden, "Sign in first", "Your session has ended. Sign in again.", viewer: nil))
        }
        guard let token = form["csrf"], Web.same(token, signed.viewer.csrf) else {
            logger.warning("form refused: missing or wrong CSRF token", metadata: ["user": "\(signed.user.name)", "path": "\(request.uri.path)"])
            return .refused(Web.errorPage(.forbidden, "Refused", "This form was not sent from ThreadGuard's own page (its security token is missing or wrong). Reload the page and try again.", viewer: signed.viewer))
        }
        return .ok(signed)
    }

    func register(on router: Router<BasicRequestContext>) {
        router.add(middleware: SecurityHeaders())
        router.get("/static/app.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"], body: .init(byteBuffer: .init(string: StaticAssets.css)))
        }
        router.get("/static/app.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"], body: .init(byteBuffer: .init(string: StaticAssets.js)))
        }
        router.get("/") { request, _ in Web.redirect(signedIn(request) == nil ? "/login" : "/queue") }
        registerSignIn(on: router)
        registerQueue(on: router)
        registerItem(on: router)
        registerDashboard(on: router)
        registerAdmin(on: router)
    }

    // MARK: Sign-in

    func registerSignIn(on router: Router<BasicRequestContext>) {
        router.get("/login") { request, _ in
            if signedIn(request) != nil { return Web.redirect("/queue") }
            let token = Web.randomToken()
            var response = Web.html(LoginPage.render(csrf: token, error: nil))
            response.setCookie(Web.cookie(Web.loginCookie, token, maxAge: 1800))
            return response
        }
        router.post("/login") { request, _ in
            let form = await Web.form(request)
            // Double-submit: the form's token must match the cookie set with the form.
            guard let cookie = request.cookies[Web.loginCookie]?.value, let sent = form["csrf"], Web.same(cookie, sent) else {
                return Web.html(LoginPage.render(csrf: Web.randomToken(), error: "The sign-in form expired. Try again."), status: .forbidden)
            }
            let name = form["name"] ?? ""
            guard let user = try? database.user(named: name), Bcrypt.verify(form["password"] ?? "", hash: user.passwordHash) else {
                logger.notice("sign-in refused")
                var response = Web.html(LoginPage.render(csrf: cookie, error: "That name and password do not match."), status: .unauthorized)
                response.setCookie(Web.cookie(Web.loginCookie, cookie, maxAge: 1800))
                return response
            }
            let token = Web.randomToken()
            let now = Date()
            try database.createSession(SessionRecord(tokenHash: Web.sha256(token), userName: user.name, csrf: Web.randomToken(),
                                                     createdAt: now, expiresAt: now.addingTimeInterval(Double(Web.sessionHours) * 3600)))
            var response = Web.redirect("/queue")
            response.setCookie(Web.cookie(Web.sessionCookie, token, maxAge: Web.sessionHours * 3600))
            response.setCookie(Web.cookie(Web.loginCookie, "", maxAge: 0))
            logger.info("signed in", metadata: ["user": "\(user.name)"])
            return response
        }
        router.post("/logout") { request, _ in
            let form = await Web.form(request)
            switch authorizePost(request, form) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                try database.deleteSession(tokenHash: signed.tokenHash)
                var response = Web.redirect("/login")
                response.setCookie(Web.cookie(Web.sessionCookie, "", maxAge: 0))
                return response
            }
        }
    }

    // MARK: Admin

    func registerAdmin(on router: Router<BasicRequestContext>) {
        router.get("/admin/users") { request, _ in
            guard let signed = signedIn(request) else { return Web.redirect("/login") }
            guard signed.user.role == "admin" else {
                return Web.errorPage(.forbidden, "Not allowed", "Only admins manage users.", viewer: signed.viewer)
            }
            return Web.html(AdminPage.render(users: try database.users(), viewer: signed.viewer, flash: nil))
        }
        router.post("/admin/users") { request, _ in
            let form = await Web.form(request)
            switch authorizePost(request, form) {
            case .refused(let refusal): return refusal
            case .ok(let signed):
                guard signed.user.role == "admin" else { return Web.errorPage(.forbidden, "Not allowed", "Only admins manage users.", viewer: signed.viewer) }
                let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
                let role = form["role"] ?? "reviewer"
                let password = form["password"] ?? ""
                var flash: String
                if !UserNames.isValid(name) || !Self.roles.contains(role) || password.count < 12 {
                    flash = "A user needs a name (letters, digits, . _ -), a role and a password of at least 12 characters."
                } else {
                    do {
                        try database.addUser(name: name, passwordHash: Bcrypt.hash(password, cost: 10), role: role)
                        flash = "Added \(name) as \(role)."
                    } catch let error as ReviewError {
                        flash = error.description
                    }
                }
                return Web.html(AdminPage.render(users: try database.users(), viewer: signed.viewer, flash: flash))
            }
        }
    }
}

/// Names people sign in with.
public enum UserNames {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
    }
}

/// A state-changing request's check: who sent it, or the page that refuses it.
enum Authorization {
    case ok(ReviewApp.Signed)
    case refused(Response)
}
