import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow
#if canImport(Glibc)
import Glibc
#endif

/// What an outside probe tried against the review page: numbers that overflow, reveals that unmask too much,
/// previews cut through an identifier, password guessing, banners from the address, answers without the security
/// headers, and connections held open.
@Suite("the review page under hostile requests", .serialized)
struct HostileRequestTests {
    @Test("no query parameter can crash the server: huge, negative and malformed numbers are clamped", arguments: [
        "page=9223372036854775807", "page=-9223372036854775808", "page=99999999999999999999999999", "priority=9223372036854775807",
        "age=9223372036854775807", "age=-1", "page=1e9", "page=%00", "sort=../../etc",
    ])
    func numbers(_ query: String) async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        _ = try await browser.signIn("rita")
        #expect(try await browser.get("/queue?" + query).status == 200)
        #expect(try await browser.get("/queue").status == 200, "the server is still up")
        await rig.stop()
    }

    @Test("reveal unmasks the item asked for only, and audits that one")
    func revealOne() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        let token = try await browser.signIn("rita")
        let c1 = try rig.itemID("c1"), c2 = try rig.itemID("c2")
        _ = try await browser.post("/item/\(c1)/reveal", ["csrf": token])
        let page = try await browser.get("/item/\(c1)").text
        #expect(page.contains("00123456"), "the item's own MRN is shown")
        #expect(!page.contains("614-555-0199"), "a sibling's phone number stays masked")
        let reveals = try rig.database.auditLog().filter { $0.event == "phi.revealed" }
        #expect(reveals.map(\.itemID) == [c1])
        // A finding of another item cannot be named to unmask it through this one.
        let otherFinding = try rig.database.reviewDetail(itemID: c2).findings.first?.id ?? 0
        _ = try await browser.post("/item/\(c1)/reveal", ["csrf": token, "finding": String(otherFinding)])
        #expect(try rig.database.auditLog().filter { $0.event == "phi.revealed" }.count == 1, "nothing revealed, nothing recorded")
        #expect(!(try await browser.get("/item/\(c2)").text.contains("614-555-0199")))
        await rig.stop()
    }

    @Test("a queue preview is masked before it is cut: an identifier across the cut shows none of itself")
    func previewCut() async throws {
        let rig = try await WebRig.start()
        let filler = String(repeating: "my dad's pump keeps beeping at night. ", count: 5)  // 190 characters
        for offset in [150, 170, 175, 178] {
            let text = String(filler.prefix(offset)) + " write to jo.smith.cutoff@example.org please"
            try await rig.database.storePage(source: "fb", stream: "s", items: [
                Item(platform: .facebook, platformID: "cut\(offset)", kind: .comment, sourceName: "fb", threadRootID: "post1", parentID: "post1",
                     authorID: "u", authorName: "Pat", text: text, createdAt: Date(), fetchedAt: Date(), permalink: nil),
            ], cursor: nil)
        }
        let policies = try PolicyLoader.load(directory: Repo.root + "/Policies")
        _ = try Decider(database: rig.database, judge: Judge(policies: policies), logger: quietLogger).decidePending()
        let browser = rig.session()
        _ = try await browser.signIn("rita")
        let queue = try await browser.get("/queue?status=all&sort=newest").text
        #expect(queue.contains("[EMAIL]") || queue.contains("…"))
        for fragment in ["jo.smith", "jo.sm", "cutoff@", "@example.org", "example.org"] { #expect(!queue.contains(fragment), "\(fragment)") }
        await rig.stop()
    }

    @Test("sign-in is throttled per name and per address; unknown names cost a bcrypt check; failures are logged")
    func throttling() async throws {
        let rig = try await WebRig.start()
        for _ in 0..<5 { #expect(try await rig.session().signIn("rita", password: "wrong-password-00") == "") }
        // Locked now: even the right password is answered 429 without being checked.
        let locked = rig.session()
        let form = try await locked.get("/login")
        let csrf = WebRig.Session.csrf(in: form.text) ?? ""
        let response = try await locked.post("/login", ["csrf": csrf, "name": "rita", "password": WebRig.passwords["rita"]!])
        #expect(response.status == 429)
        #expect(response.text.contains("Too many failed sign-ins"))
        #expect(response.headers.contains { $0.name.lowercased() == "retry-after" })
        // Another person can still sign in from the same address, until the address has failed too often.
        #expect(try await rig.session().signIn("lena") != "")
        let before = await rig.app.passwordChecks()
        #expect(try await rig.session().signIn("nobody-by-this-name", password: "whatever-password") == "")
        #expect(await rig.app.passwordChecks() == before + 1, "an unknown name is checked against a dummy hash")
        for k in 0..<20 { _ = try await rig.session().signIn("ghost\(k)", password: "wrong-password-00") }
        #expect(try await rig.session().signIn("ada") == "", "the address is locked after twenty failures")
        let refused = rig.logs.all.split(separator: "\n").filter { $0.contains("sign-in refused") }
        #expect(refused.contains { $0.contains("rita") && $0.contains("127.0.0.1") }, "failed sign-ins are logged with the name and address")
        #expect(rig.logs.all.contains("sign-in throttled"))
        await rig.stop()
    }

    @Test("the banner shows only texts the app wrote: ?flash= is ignored, ?done= keys map to fixed texts")
    func banner() async throws {
        let rig = try await WebRig.start()
        let browser = rig.session()
        _ = try await browser.signIn("rita")
        let forged = try await browser.get("/queue?flash=Your%20session%20expired%2C%20call%20555-0100&failed=Call%20us")
        #expect(!forged.text.contains("Your session expired") && !forged.text.contains("Call us"))
        let item = try rig.itemID("c1")
        #expect(try await browser.get("/item/\(item)?done=approve").text.contains("Approved; the reply is on its way."))
        #expect(!(try await browser.get("/item/\(item)?done=%3Cb%3Ehi").text.contains("hi</b>")))
        await rig.stop()
    }

    @Test("404, HEAD and OPTIONS answers carry the security headers")
    func headers() async throws {
        let rig = try await WebRig.start()
        for (method, path) in [("GET", "/no-such-page"), ("HEAD", "/queue"), ("OPTIONS", "/queue"), ("GET", "/item/999999"), ("POST", "/nowhere")] {
            let response = try await rig.client.send(OutgoingRequest(method: method, url: rig.base + path, headers: [], body: nil))
            let names = Set(response.headers.map { $0.name.lowercased() })
            for header in ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy", "cache-control"] {
                #expect(names.contains(header), "\(method) \(path) lacks \(header)")
            }
        }
        await rig.stop()
    }

    @Test("a connection that never finishes its headers is closed after the idle timeout")
    func idleConnection() async throws {
        let rig = try await WebRig.start(idleTimeout: .seconds(1))
        let port = UInt16(URLComponents(string: rig.base)!.port!)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(connected == 0)
        let partial = "GET /queue HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        _ = partial.withCString { send(socket, $0, strlen($0), 0) }
        // Wait up to ten seconds for the server to close it (read returns 0); it must not stay open for good.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 512)
        let started = Date()
        var read = 1
        while read > 0 { read = recv(socket, &buffer, buffer.count, 0) }
        #expect(read == 0, "the server closed the connection (recv returned \(read), errno \(errno))")
        #expect(Date().timeIntervalSince(started) < 9)
        await rig.stop()
    }

    @Test("a user added on the admin page is attributed to the admin who added them")
    func attribution() async throws {
        let rig = try await WebRig.start()
        let admin = rig.session()
        let token = try await admin.signIn("ada")
        let weak = try await admin.post("/admin/users", ["csrf": token, "name": "sam", "role": "reviewer", "password": String(repeating: " ", count: 12)])
        #expect(weak.text.contains("cannot be only spaces"))
        _ = try await admin.post("/admin/users", ["csrf": token, "name": "sam", "role": "reviewer", "password": "ember-willow-sextant-3"])
        let entry = try #require(try rig.database.auditLog().last { $0.event == "user.added" })
        #expect(entry.actor == "user:ada")
        await rig.stop()
    }
}
