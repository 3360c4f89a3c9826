import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

/// Push delivery from Meta through `serve`: the handshake, signatures, de-duplication against polling, and a PHI
/// comment hidden as soon as its webhook arrives.
@Suite("Meta webhooks", .serialized)
struct WebhookTests {
    static let secret = "meta-app-secret-for-tests"
    static let verify = "verify-me-please"

    struct Rig {
        let six: SixPlatforms
        let config: AppConfig
        let database: ThreadGuardDatabase
        let server: ReviewServer
        let http: CurlHTTPClient
        var hook: String { server.baseURL + "/webhooks/meta" }

        static func start() async throws -> Rig {
            let six = try await SixPlatforms.start("webhooks")
            try (try String(contentsOfFile: six.configPath, encoding: .utf8) + "webhooks:\n  meta: {app_secret_env: META_SECRET, verify_token_env: META_VERIFY}\n")
                .write(toFile: six.configPath, atomically: true, encoding: .utf8)
            let config = try AppConfig.load(file: six.configPath)
            let environment = six.environment.merging(["META_SECRET": secret, "META_VERIFY": verify]) { $1 }
            let database = try config.openDatabase()
            let http = CurlHTTPClient()
            // Everything already on the platforms is polled first, as a running installation would have.
            _ = try await PollRun(config: config, environment: environment, http: http, logger: quietLogger).run()
            let judge = Judge(policies: try PolicyLoader.load(directory: config.policies))
            let runner = ActionRunner(config: config, database: database, environment: environment, http: http, logger: quietLogger,
                                      checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
            let webhooks = WebhookHandling.make(config: config, database: database, judge: judge, environment: environment, logger: quietLogger,
                                                runActions: { await runner.run() })
            let app = ReviewApp(database: database, judge: judge, runActions: { await runner.run() }, logger: quietLogger,
                                metricsText: { try MetricsExposition.render(config: config, database: database) }, webhooks: webhooks)
            let server = try await ReviewServer.start(app: app, logger: quietLogger)
            return Rig(six: six, config: config, database: database, server: server, http: http)
        }

        func stop() async {
            await server.stop()
            http.shutdown()
            await six.stop()
        }

        func hides(of target: String) async -> Int {
            await six.state.actions.filter { $0.kind == "hide" && $0.target == target }.count
        }

        /// Waits until the sandbox received the hide of `target`; the seconds it took, or nil after 10 s.
        func waitForHide(_ target: String, since start: ContinuousClock.Instant) async throws -> Double? {
            for _ in 0..<1000 {
                if await hides(of: target) > 0 {
                    let elapsed = ContinuousClock.now - start
                    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                }
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            return nil
        }
    }

    @Test("the subscription handshake answers the challenge only to our verify token")
    func handshake() async throws {
        let rig = try await Rig.start()
        let good = try await rig.http.send(OutgoingRequest(url: rig.hook + "?hub.mode=subscribe&hub.verify_token=\(Self.verify)&hub.challenge=1158201444"))
        #expect(good.status == 200 && String(decoding: good.body, as: UTF8.self) == "1158201444")
        let bad = try await rig.http.send(OutgoingRequest(url: rig.hook + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444"))
        #expect(bad.status == 403 && !String(decoding: bad.body, as: UTF8.self).contains("1158201444"))
        await rig.stop()
    }

    @Test("a PHI comment's webhook gets it hidden at once; a duplicate and the next poll store nothing twice; a forged one changes nothing and is counted")
    func pushToHidden() async throws {
        let rig = try await Rig.start()
        let sender = MetaWebhookSender(url: rig.hook, appSecret: Self.secret, http: rig.http)
        let facebook = try #require(await rig.six.state.allWorlds.first { $0.platform == .facebook })
        let post = try #require(facebook.posts.first)
        let comment = SandboxWorld.Comment(id: "\(post.id)_880001", postID: post.id, parentID: nil, authorID: "u880001", authorName: "Pat Doe",
                                           message: "call me at 614-555-0142, my husband's pacemaker alarm keeps going off", createdAt: Date())
        await rig.six.state.addComment(comment)
        let start = ContinuousClock.now
        let status = try await sender.deliver(MetaWebhookSender.facebookBody(comment, pageID: facebook.accountID), duplicate: true)
        #expect(status == 200)
        let seconds = try #require(try await rig.waitForHide(comment.id, since: start), "hidden after its webhook")
        #expect(seconds < 10)
        let stored = try rig.database.allItems().filter { $0.platformID == comment.id }
        #expect(stored.count == 1 && stored.first?.sourceName == "facebook", "a duplicate delivery stores nothing twice")

        // Instagram, the same way.
        let instagram = try #require(await rig.six.state.allWorlds.first { $0.platform == .instagram })
        let media = try #require(instagram.posts.first)
        let igComment = SandboxWorld.Comment(id: "17800000000990001", postID: media.id, parentID: nil, authorID: "ig990001", authorName: "pat.doe",
                                             message: "my member ID is QX4471002 and the claim was rejected again", createdAt: Date())
        await rig.six.state.addComment(igComment)
        #expect(try await sender.deliver(MetaWebhookSender.instagramBody(igComment, accountID: instagram.accountID)) == 200)
        #expect(try await rig.waitForHide(igComment.id, since: ContinuousClock.now) != nil, "the Instagram comment is hidden too")

        // A forged delivery: refused, nothing stored, counted.
        let forgedComment = SandboxWorld.Comment(id: "\(post.id)_880002", postID: post.id, parentID: nil, authorID: "u880002", authorName: "Mallory",
                                                 message: "ignore me, SSN 512-38-7714", createdAt: Date())
        let forged = try await sender.deliver(MetaWebhookSender.facebookBody(forgedComment, pageID: facebook.accountID),
                                              signature: MetaWebhookSender.signature(Data("other bytes".utf8), secret: Self.secret))
        let unsigned = try await rig.http.send(OutgoingRequest(method: "POST", url: rig.hook, headers: [("Content-Type", "application/json")],
                                                               body: MetaWebhookSender.facebookBody(forgedComment, pageID: facebook.accountID)))
        #expect(forged == 403 && unsigned.status == 403)
        let forgedStored = try rig.database.item(platform: .facebook, platformID: forgedComment.id)
        #expect(forgedStored == nil)
        let metrics = try await rig.http.send(OutgoingRequest(url: rig.server.baseURL + "/metrics"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains(#"threadguard_webhooks_total{outcome="forged"} 2"#), "\(text.split(separator: "\n").filter { $0.contains("webhook") })")
        #expect(text.contains(#"threadguard_webhooks_total{outcome="accepted"} 3"#))

        // The next poll finds the webhook's comment already stored and hides nothing twice.
        let environment = rig.six.environment.merging(["META_SECRET": Self.secret, "META_VERIFY": Self.verify]) { $1 }
        let before = Set(try rig.database.allItems().compactMap(\.id))
        _ = try await PollRun(config: rig.config, environment: environment, http: rig.http, logger: quietLogger).run()
        let polled = try rig.database.allItems().filter { !before.contains($0.id ?? 0) }
        let onlyBrand = polled.allSatisfy { $0.isBrand }
        #expect(onlyBrand, "the poll adds only the brand's own replies, nothing a webhook stored")
        let hides = await rig.hides(of: comment.id)
        let copies = try rig.database.allItems().filter { $0.platformID == comment.id }.count
        #expect(hides == 1 && copies == 1)
        await rig.stop()
    }

    @Test("signatures: the exact bytes under the app secret, compared in constant time; anything else is refused")
    func signatures() {
        let body = Data(#"{"object":"page","entry":[]}"#.utf8)
        let good = MetaWebhook.signature(body: body, appSecret: "s3cret")
        #expect(MetaWebhook.signatureValid(body: body, header: good, appSecret: "s3cret"))
        #expect(MetaWebhook.signatureValid(body: body, header: good.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), appSecret: "s3cret"))
        #expect(!MetaWebhook.signatureValid(body: body + Data(" ".utf8), header: good, appSecret: "s3cret"))
        #expect(!MetaWebhook.signatureValid(body: body, header: good, appSecret: "other"))
        #expect(!MetaWebhook.signatureValid(body: body, header: nil, appSecret: "s3cret"))
        #expect(!MetaWebhook.signatureValid(body: body, header: "sha1=" + good.dropFirst(7), appSecret: "s3cret"))
        #expect(!MetaWebhook.signatureValid(body: body, header: good, appSecret: ""), "no secret configured: nothing is valid")
        #expect(MetaWebhook.handshake(mode: "subscribe", token: "t", challenge: "42", expectedToken: "t") == "42")
        #expect(MetaWebhook.handshake(mode: "subscribe", token: "t", challenge: "42", expectedToken: "") == nil)
        #expect(MetaWebhook.handshake(mode: "unsubscribe", token: "t", challenge: "42", expectedToken: "t") == nil)
    }
}
