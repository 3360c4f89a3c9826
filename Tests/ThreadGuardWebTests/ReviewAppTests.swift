import Foundation
import Testing
import ThreadGuardStore
import ThreadGuardWeb

@Suite("the review page over loopback HTTP", .serialized)
struct ReviewAppTests {
    @Test("pages need a signed-in person; a wrong password is refused; the session cookie is Secure, HttpOnly and SameSite")
    func signIn() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        let anonymous = try await browser.get("/queue")
        #expect(anonymous.status == 303)
        #expect(anonymous.header("Location") == "/login")
        #expect(try await browser.signIn("rita", password: "not-the-password") == "")
        #expect(browser.cookies["tg_session"] == nil)
        let form = try await browser.get("/login")
        let token = WebRig.Session.csrf(in: form.text)!
        let ok = try await browser.post("/login", ["csrf": token, "name": "rita", "password": WebRig.passwords["rita"]!])
        #expect(ok.status == 303)
        let cookie = try #require(ok.headers.first { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("tg_session=") }?.value)
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(attribute)) }
        #expect(try await browser.get("/queue").status == 200)
        await rig.stop()
    }

    @Test("every page carries a strict Content-Security-Policy and the usual security headers")
    func headers() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        try await browser.signIn("rita")
        for path in ["/login", "/queue", "/dashboard", "/item/\(try rig.itemID("c1"))"] {
            let response = try await browser.get(path)
            let csp = try #require(response.header("Content-Security-Policy"))
            #expect(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"))
            #expect(response.header("X-Frame-Options") == "DENY")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Referrer-Policy") == "no-referrer")
            #expect(response.header("Cache-Control") == "no-store")
        }
        await rig.stop()
    }

    @Test("hostile comments and author names stay text; javascript: links are never links; identifiers are masked")
    func hostileInput() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        try await browser.signIn("rita")
        let queue = try await browser.get("/queue?status=all").text
        let item = try await browser.get("/item/\(try rig.itemID("c1"))").text
        for page in [queue, item] {
            #expect(!page.contains("<script>document"))
            #expect(!page.contains("<img src=x"))
            #expect(!page.contains("<b onmouseover"))
            #expect(!page.contains("onerror=\""))
            #expect(!page.lowercased().contains("href=\"javascript:"))
        }
        #expect(item.contains("&lt;b onmouseover=alert(1)&gt;Eve&lt;/b&gt;"))
        #expect(!item.contains("00123456"), "the MRN is masked until revealed")
        #expect(item.contains("[MRN]"))
        await rig.stop()
    }

    @Test("a form posted without its CSRF token, or with another session's, is refused and changes nothing")
    func csrf() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        let token = try await browser.signIn("rita")
        let id = try rig.itemID("c1")
        let auditBefore = try rig.database.auditLog().count
        for form in [["action": "dismiss"], ["action": "dismiss", "csrf": "forged"], ["action": "dismiss", "csrf": String(token.reversed())]] {
            let response = try await browser.post("/item/\(id)/act", form)
            #expect(response.status == 403)
        }
        #expect(try rig.database.reviewDetail(itemID: id).review?.status == "open")
        #expect(try rig.database.auditLog().count == auditBefore)
        // The login form is protected too (double submit).
        let login = try await rig.session().post("/login", ["name": "rita", "password": WebRig.passwords["rita"]!])
        #expect(login.status == 403)
        await rig.stop()
    }

    @Test("a reviewer cannot reach the admin pages; an admin adds a user")
    func roles() async throws {
        let rig = try await WebRig.start()
        let reviewer = rig.session()
        let token = try await reviewer.signIn("rita")
        #expect(try await reviewer.get("/admin/users").status == 403)
        #expect(try await reviewer.post("/admin/users", ["csrf": token, "name": "mallory", "role": "admin", "password": "mallory-password-1"]).status == 403)
        #expect(try rig.database.user(named: "mallory") == nil)
        // A reviewer takes items (assigns them to themself) but does not hand them to others.
        #expect(try await reviewer.post("/item/\(try rig.itemID("c1"))/act", ["csrf": token, "action": "assign", "assignee": "ada"]).status == 403)
        #expect(try await reviewer.post("/item/\(try rig.itemID("c1"))/act", ["csrf": token, "action": "take"]).status == 303)
        #expect(try rig.database.reviewDetail(itemID: try rig.itemID("c1")).review?.assignee == "rita")
        let admin = rig.session()
        let adminToken = try await admin.signIn("ada")
        #expect(try await admin.get("/admin/users").status == 200)
        _ = try await admin.post("/admin/users", ["csrf": adminToken, "name": "sam", "role": "lead", "password": "tulip-orbit-canyon-42"])
        #expect(try rig.database.user(named: "sam")?.role == "lead")
        await rig.stop()
    }

    @Test("revealing PHI shows it and writes an audit entry naming the person")
    func reveal() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        let token = try await browser.signIn("rita")
        let id = try rig.itemID("c1")
        #expect(!(try await browser.get("/item/\(id)").text.contains("00123456")), "masked until revealed")
        // POST-redirect-GET: the reveal is recorded, then the page shows it; loading the page again records nothing more.
        let answer = try await browser.post("/item/\(id)/reveal", ["csrf": token])
        #expect(answer.status == 303)
        #expect(try await browser.get("/item/\(id)").text.contains("00123456"))
        #expect(try await browser.get("/item/\(id)").text.contains("00123456"))
        let audit = try rig.database.auditLog(itemID: id).filter { $0.event == "phi.revealed" }
        #expect(audit.count == 1 && audit[0].actor == "user:rita" && audit[0].detail?.hasPrefix("finding ") == true)
        let other = rig.session()
        _ = try await other.signIn("ada")
        #expect(!(try await other.get("/item/\(id)").text.contains("00123456")), "another person's reveal shows them nothing")
        await rig.stop()
    }

    @Test("an edited reply that repeats the comment's identifier is refused; a clean one is approved; dismiss can be undone")
    func workItem() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        let token = try await browser.signIn("rita")
        // c2's reply went out on its own (pending): there is nothing to approve, whatever the text.
        let id = try rig.itemID("c2")
        #expect(try await browser.post("/item/\(id)/act", ["csrf": token, "action": "approve", "reply": "We will call you at 614-555-0199 today."]).status == 409)
        // Self-harm language is only flagged: its reply waits as a draft for a person.
        let crisis = try rig.itemID("c4")
        let refused = try await browser.post("/item/\(crisis)/act", ["csrf": token, "action": "approve", "reply": "We will call you at 614-555-0199 today."])
        #expect(refused.status == 422)
        #expect(refused.text.contains("reply guard refused"))
        #expect(try rig.database.auditLog(itemID: crisis).contains { $0.event == "reply.refused" && $0.actor == "user:rita" })
        let draft = try #require(try rig.database.actions(itemID: crisis).first { $0.kind == "private_reply" })
        #expect(draft.status == "draft")
        let ok = try await browser.post("/item/\(crisis)/act", ["csrf": token, "action": "approve", "reply": "We are here for you. Please call or text 988 any time."])
        #expect(ok.status == 303)
        let approved = try #require(try rig.database.actions(itemID: crisis).first { $0.kind == "private_reply" })
        #expect(approved.status == "pending")
        #expect(approved.payload == "We are here for you. Please call or text 988 any time.")
        #expect(try rig.database.reviewDetail(itemID: crisis).review?.status == "resolved")
        let other = try rig.itemID("c1")
        #expect(try await browser.post("/item/\(other)/act", ["csrf": token, "action": "dismiss"]).status == 303)
        #expect(try rig.database.reviewDetail(itemID: other).review?.status == "dismissed")
        #expect(try await browser.post("/undo", ["csrf": token]).status == 303)
        #expect(try rig.database.reviewDetail(itemID: other).review?.status == "open")
        let audit = try rig.database.auditLog(itemID: other).map(\.event)
        #expect(audit.contains("review.dismiss") && audit.contains("review.undo"))
        await rig.stop()
    }

    @Test("the queue filters, counts and pages; the dashboard draws its charts as SVG")
    func queueAndDashboard() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        try await browser.signIn("lena")
        let all = try await browser.get("/queue?status=all").text
        let (c1, c2, c3) = (try rig.itemID("c1"), try rig.itemID("c2"), try rig.itemID("c3"))
        #expect(all.contains("/item/\(c1)\"") && all.contains("/item/\(c2)\""))
        #expect(!all.contains("/item/\(c3)\""), "an unflagged comment is not queued")
        let youtube = try await browser.get("/queue?status=all&platform=youtube").text
        #expect(youtube.contains("0 row(s) match"))
        let dashboard = try await browser.get("/dashboard").text
        #expect(dashboard.components(separatedBy: "<svg viewBox").count - 1 == 4)
        await rig.stop()
    }

    @Test("logs carry ids and names of staff, never comment text")
    func logs() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        let token = try await browser.signIn("rita")
        _ = try await browser.post("/item/\(try rig.itemID("c1"))/reveal", ["csrf": token])
        _ = try await browser.post("/item/\(try rig.itemID("c1"))/act", ["action": "dismiss"])
        let logs = rig.logs.all
        #expect(!logs.isEmpty)
        #expect(!logs.contains("00123456") && !logs.contains("614-555-0199") && !logs.contains("pacemaker"))
        #expect(!logs.contains(WebRig.passwords["rita"]!))
        await rig.stop()
    }
}
