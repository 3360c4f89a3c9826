import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import Logging
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardWorkflow

/// The review app: sign-in, the queue, the item page, the dashboard and user administration, server-rendered.
public struct ReviewApp: Sendable {
    public let database: any Store
    /// Checks a person's edited reply with the reply guard.
    public let judge: Judge
    /// Carries out pending platform actions after a person approves, hides or unhides (nil: the next poll does).
    public let runActions: (@Sendable () async -> Void)?
    let logger: Logger
    let throttle = SignInThrottle()
    let passwords: PasswordChecker
    /// The Prometheus text for `/metrics` (nil: the route answers 404).
    public let metricsText: (@Sendable () throws -> String)?
    /// Meta's webhooks (nil: the routes do not exist).
    public let webhooks: WebhookHandling?
    /// Response targets and whether the next item opens after an action.
    public let settings: ReviewSettings
    /// What each moderation action achieves, per platform and action (from the connector manifests).
    public let containment: [String: [ActionKind: Containment]]

    public init(database: any Store, judge: Judge, runActions: (@Sendable () async -> Void)?, logger: Logger,
                metricsText: (@Sendable () throws -> String)? = nil, webhooks: WebhookHandling? = nil,
                settings: ReviewSettings = ReviewSettings(), containment: [String: [ActionKind: Containment]] = [:]) {
        self.settings = settings
        self.containment = containment
        self.database = database
        self.judge = judge
        self.runActions = runActions
        self.logger = logger
        self.metricsText = metricsText
        self.webhooks = webhooks
        passwords = PasswordChecker()
    }

    public static let roles = ["reviewer", "lead", "admin"]

    /// How many bcrypt checks sign-ins have run (tests: an unknown name costs one too).
    public func passwordChecks() async -> Int { await passwords.checks }

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

    func register(on router: Router<ReviewContext>) {
        router.get("/static/app.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"], body: .init(byteBuffer: .init(string: StaticAssets.css)))
        }
        router.get("/static/app.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"], body: .init(byteBuffer: .init(string: StaticAssets.js)))
        }
        router.get("/") { request, _ in Web.redirect(signedIn(request) == nil ? "/login" : "/queue") }
        registerOperations(on: router)
        registerWebhooks(on: router)
        registerSignIn(on: router)
        registerQueue(on: router)
        registerItem(on: router)
        registerBulk(on: router)
        registerDashboard(on: router)
        registerShadow(on: router)
        registerAdmin(on: router)
    }

    // MARK: Health and metrics

    /// `/healthz` and `/metrics` need no sign-in (monitoring cannot sign in) and carry no comment text or names:
    /// counts, ids, source names. Keep them to the monitoring network at the proxy (docs/OPERATIONS.md).
    func registerOperations(on router: Router<ReviewContext>) {
        router.get("/healthz") { _, _ in
            let up = database.answers()
            return Response(status: up ? .ok : .serviceUnavailable, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: .init(string: up ? #"{"status":"ok","database":"ok"}"# : #"{"status":"unavailable","database":"does not answer"}"#)))
        }
        router.get("/metrics") { _, _ in
            guard let metricsText else { return Web.errorPage(.notFound, "Not found", "Metrics are not served here.", viewer: nil) }
            do {
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                                body: .init(byteBuffer: .init(string: try metricsText())))
            } catch {
                logger.error("metrics could not be read", metadata: ["error": "\(type(of: error))"])
                return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "metrics unavailable\n")))
            }
        }
    }

    // MARK: Sign-in

    func registerSignIn(on router: Router<ReviewContext>) {
        router.get("/login") { request, _ in
            if signedIn(request) != nil { return Web.redirect("/queue") }
            let token = Web.randomToken()
            var response = Web.html(LoginPage.render(csrf: token, error: nil))
            response.setCookie(Web.cookie(Web.loginCookie, token, maxAge: 1800))
            return response
        }
        router.post("/login") { request, context in
            let form = await Web.form(request)
            // Double-submit: the form's token must match the cookie set with the form.
            guard let cookie = request.cookies[Web.loginCookie]?.value, let sent = form["csrf"], Web.same(cookie, sent) else {
                return Web.html(LoginPage.render(csrf: Web.randomToken(), error: "The sign-in form expired. Try again."), status: .forbidden)
            }
            let name = UserNames.normalised(String((form["name"] ?? "").prefix(64)))
            let address = context.peer
            let logged: Logger.Metadata = ["user": "\(TerminalText.escaped(name))", "address": "\(address)"]
            if let wait = await throttle.wait(user: name, address: address) {
                logger.notice("sign-in throttled", metadata: logged)
                let minutes = max(1, Int((wait / 60).rounded(.up)))
                var response = Web.html(LoginPage.render(csrf: cookie, error: "Too many failed sign-ins. Try again in \(minutes) minute\(minutes == 1 ? "" : "s")."),
                                        status: .tooManyRequests)
                response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                response.setCookie(Web.cookie(Web.loginCookie, cookie, maxAge: 1800))
                return response
            }
            // An unknown name costs the same bcrypt check as a known one (against a dummy hash).
            let user = try? database.user(named: name)
            guard await passwords.verify(form["password"] ?? "", hash: user?.passwordHash), let user else {
                await throttle.failed(user: name, address: address)
                logger.notice("sign-in refused", metadata: logged)
                var response = Web.html(LoginPage.render(csrf: cookie, error: "That name and password do not match."), status: .unauthorized)
                response.setCookie(Web.cookie(Web.loginCookie, cookie, maxAge: 1800))
                return response
            }
            await throttle.succeeded(user: name)
            let token = Web.randomToken()
            let now = Date()
            try database.createSession(SessionRecord(tokenHash: Web.sha256(token), userName: user.name, csrf: Web.randomToken(),
                                                     createdAt: now, expiresAt: now.addingTimeInterval(Double(Web.sessionHours) * 3600)))
            var response = Web.redirect("/queue")
            response.setCookie(Web.cookie(Web.sessionCookie, token, maxAge: Web.sessionHours * 3600))
            response.setCookie(Web.cookie(Web.loginCookie, "", maxAge: 0))
            logger.info("signed in", metadata: ["user": "\(user.name)", "address": "\(address)"])
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

    func registerAdmin(on router: Router<ReviewContext>) {
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
                let name = UserNames.normalised(form["name"] ?? "")
                let role = form["role"] ?? "reviewer"
                let password = form["password"] ?? ""
                var flash: String
                if let problem = UserNames.problem(name) ?? (Self.roles.contains(role) ? nil : "choose a role")
                    ?? PasswordRules.problem(password, user: name) {
                    flash = "Not added: \(problem)."
                } else {
                    do {
                        try database.addUser(name: name, passwordHash: Bcrypt.hash(password, cost: 10), role: role, actor: "user:\(signed.user.name)")
                        flash = "Added \(name) as \(role)."
                    } catch let error as ReviewError {
                        flash = "Not added: \(error.description)."
                    }
                }
                return Web.html(AdminPage.render(users: try database.users(), viewer: signed.viewer, flash: flash))
            }
        }
    }
}

/// A state-changing request's check: who sent it, or the page that refuses it.
enum Authorization {
    case ok(ReviewApp.Signed)
    case refused(Response)
}
