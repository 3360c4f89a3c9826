import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
@testable import ThreadGuardWorkflow

@Suite("alerts reach a person, once, carrying no PHI", .serialized)
struct AlertTests {
    /// Two Facebook sandboxes: "fb" (the demo world: a self-harm comment among others) and "fb-old" (a page of 300
    /// comments whose token expires after its first page, in the middle of the run); alerts to the local webhook
    /// receiver and SMTP server.
    struct Rig {
        let folder: String
        let world: SandboxWorld
        let sandbox: SandboxServer
        let expiring: SandboxServer
        let expiringWorld: SandboxWorld
        let receivers: AlertReceivers
        let configPath: String
        let environment: [String: String]

        static func start(_ name: String, receivers: AlertReceivers) async throws -> Rig {
            let folder = try scratchFolder(name)
            let world = SandboxWorld.demoFacebook()
            let sandbox = try await SandboxServer.start(state: SandboxState(world: world, token: "good-token"))
            let expiringWorld = SandboxWorld.generated(index: 5, comments: 300)
            let expiringState = SandboxState(world: expiringWorld, token: "old-token")
            await expiringState.inject(Array(repeating: .expiredToken, count: 50), afterRequests: 1)
            let expiring = try await SandboxServer.start(state: expiringState)
            let yaml = """
                database: \(folder)/tg.sqlite
                policies: \(RepoFolders.policies)
                connectors: \(RepoFolders.connectors)
                models: none
                failure_window: 30m
                alerts:
                  link: https://review.example.org
                  webhook: {url: "http://127.0.0.1:\(receivers.httpPort)/hooks/oncall", format: json}
                  email: {smtp: "smtp://127.0.0.1:\(receivers.smtpPort)", from: threadguard@hospital.example, to: [oncall@hospital.example]}
                sources:
                  - {name: fb, connector: facebook, account: "\(world.accountID)", base_url: "\(sandbox.baseURL)", token_env: FB_TOKEN}
                  - {name: fb-old, connector: facebook, account: "\(expiringWorld.accountID)", base_url: "\(expiring.baseURL)", token_env: FB_OLD_TOKEN}

                """
            try yaml.write(toFile: folder + "/threadguard.yaml", atomically: true, encoding: .utf8)
            return Rig(folder: folder, world: world, sandbox: sandbox, expiring: expiring, expiringWorld: expiringWorld, receivers: receivers,
                       configPath: folder + "/threadguard.yaml",
                       environment: ["FB_TOKEN": "good-token", "FB_OLD_TOKEN": "old-token", "PATH": "/usr/bin:/bin"])
        }

        func poll() async throws -> RunSummary {
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            return try await PollRun(config: try AppConfig.load(file: configPath), environment: environment, http: http,
                                     logger: LogCapture().logger()).run()
        }

        /// Comment text and authors' names of the world: none may leave in an alert.
        var privateWords: [String] { (world.comments + expiringWorld.comments).flatMap { [$0.message, $0.authorName] } }

        func stop() async {
            await sandbox.stop()
            await expiring.stop()
        }
    }

    @Test("a self-harm comment and a refused token: one webhook call and one mail name both, without comment text; status reports both; a second poll sends neither again")
    func crisisAndExpiredToken() async throws {
        guard let receivers = try AlertReceivers.start() else { return }
        defer { receivers.stop() }
        let rig = try await Rig.start("alerts", receivers: receivers)
        let first = try await rig.poll()
        #expect(first.needsAttention)
        #expect(first.sourceProblems.count == 1 && first.sourceProblems[0].contains("'fb-old' needs a new access token"), "\(first.sourceProblems)")
        let stored = try AppConfig.load(file: rig.configPath).openDatabase().allItems().filter { $0.sourceName == "fb-old" }.count
        #expect(stored > 0 && stored < rig.expiringWorld.comments.count + 1, "the token expired in the middle of the poll: \(stored) items came first")

        let database = try AppConfig.load(file: rig.configPath).openDatabase()
        let crisis = try database.operationsSnapshot().crisis
        #expect(crisis.count == 1, "the demo world holds one self-harm comment")
        let crisisID = try #require(crisis.first?.itemID)

        let hooks = receivers.received("hook")
        let mails = receivers.received("mail")
        #expect(hooks.count == 1, "one webhook call, not one per subject")
        #expect(mails.count == 1, "one mail")
        let hook = try #require(hooks.first)
        let envelope = try JSONSerialization.jsonObject(with: Data(hook.utf8)) as? [String: Any]
        #expect(envelope?["path"] as? String == "/hooks/oncall")
        let body = try JSONSerialization.jsonObject(with: Data(((envelope?["body"] as? String) ?? "").utf8)) as? [String: Any]
        let alerts = (body?["alerts"] as? [[String: Any]]) ?? []
        #expect(alerts.contains { $0["kind"] as? String == "crisis" && $0["item_id"] as? Int == Int(crisisID)
            && $0["link"] as? String == "https://review.example.org/items/\(crisisID)" }, "\(alerts)")
        #expect(alerts.contains { $0["kind"] as? String == "source" && $0["source"] as? String == "fb-old" && $0["reason"] as? String == "needs_new_token" })
        let mail = try #require(mails.first)
        #expect(mail.contains("X-Envelope-To: oncall@hospital.example"))
        #expect(mail.contains("Subject: [ThreadGuard] "))
        #expect(mail.contains("Crisis item \(crisisID) is waiting for a person"))
        #expect(mail.contains("Source 'fb-old' needs a new access token"))
        for word in rig.privateWords {
            #expect(!hook.contains(word) && !mail.contains(word), "an alert carries comment text or a name: \(word)")
        }
        #expect(!hook.contains("old-token") && !mail.contains("old-token") && !hook.contains("good-token"))

        // status --json, from the binary, reports both and exits 3.
        let (code, out, err) = try await runThreadguard(["status", "--json", "--config", rig.configPath], environment: rig.environment)
        #expect(code == 3, "\(err)")
        let status = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        #expect(status?["healthy"] as? Bool == false)
        let queue = status?["queue"] as? [String: Any]
        #expect(queue?["crisis_item_ids"] as? [Int] == [Int(crisisID)])
        #expect((queue?["oldest_crisis_age_seconds"] as? Int).map { $0 >= 0 } == true)
        let sources = (status?["sources"] as? [[String: Any]]) ?? []
        let old = sources.first { $0["name"] as? String == "fb-old" }
        #expect(old?["token"] as? String == "needs_new_token" && old?["needs_person"] as? Bool == true)
        #expect(old?["error_kind"] as? String == "needs_new_token")
        let good = sources.first { $0["name"] as? String == "fb" }
        #expect(good?["token"] as? String == "ok" && good?["last_success_at"] is String && good?["needs_person"] as? Bool == false)
        let needs = (status?["needs_person"] as? [String]) ?? []
        #expect(needs.contains { $0.contains("crisis item") } && needs.contains { $0.contains("'fb-old'") }, "\(needs)")
        let snapshot = try database.operationsSnapshot()
        let subjects = snapshot.crisis.count + snapshot.intakes.count + snapshot.deadLetters.count + 1
        #expect(alerts.count == subjects && alerts.filter { $0["kind"] as? String == "adverse_event" }.count == snapshot.intakes.count)
        #expect((status?["alerts"] as? [String: Any])?["sent"] as? Int == 2 * subjects, "every subject on both channels")

        // The next run (the binary, as cron runs it) sees the same crisis and the same refused token: nothing is sent
        // again; its metrics file counts both.
        let metricsFile = rig.folder + "/threadguard.prom"
        let (pollCode, _, pollErr) = try await runThreadguard(["poll", "--config", rig.configPath, "--metrics-file", metricsFile], environment: rig.environment)
        #expect(pollCode == 3 && pollErr.contains("'fb-old' needs a new access token"), "\(pollErr)")
        #expect(receivers.received("hook").count == 1 && receivers.received("mail").count == 1)
        let metrics = try String(contentsOfFile: metricsFile, encoding: .utf8)
        // Series to value ("1.0" and "1" alike), as a scraper reads them.
        var series: [String: Double] = [:]
        for line in metrics.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            series[String(line[..<space])] = value
        }
        #expect(series["threadguard_crisis_open"] == 1)
        #expect(series[#"threadguard_source_needs_person{source="fb-old",platform="facebook"}"#] == 1)
        #expect(series[#"threadguard_source_up{source="fb",platform="facebook"}"#] == 1)
        #expect(series[#"threadguard_failures_total{platform="facebook",reason="needs_new_token",source="fb-old",stage="poll"}"#] == 2, "two runs")
        #expect(series[#"threadguard_items_polled_total{platform="facebook",source="fb"}"#] == Double(rig.world.posts.count + rig.world.comments.count))
        #expect(series["threadguard_alerts_sent_total"] == Double(2 * subjects))
        #expect((series[#"threadguard_items_hidden_total{platform="facebook",source="fb"}"#] ?? 0) > 0)
        #expect(series[#"threadguard_time_to_hide_seconds_count{platform="facebook"}"#] == series[#"threadguard_items_hidden_total{platform="facebook",source="fb"}"#])
        #expect(series[#"threadguard_poll_duration_seconds_bucket{le="+Inf",source="fb"}"#] == 2)
        #expect(series["threadguard_classification_seconds_count"] == Double(first.decided), "every judged comment timed once")
        for word in rig.privateWords { #expect(!metrics.contains(word)) }
        await rig.stop()
    }

    @Test("an alert the receiver refuses stays pending and goes out on the next run")
    func retriedUntilSent() async throws {
        guard let receivers = try AlertReceivers.start() else { return }
        defer { receivers.stop() }
        let rig = try await Rig.start("alert-retry", receivers: receivers)
        // Mail to a port nothing listens on fails; the webhook goes.
        var config = try AppConfig.load(file: rig.configPath)
        config.alerts.email?.server = "smtp://127.0.0.1:9"
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        let first = try await PollRun(config: config, environment: rig.environment, http: http, logger: LogCapture().logger()).run()
        let subjects = first.alerts.queued / 2
        #expect(subjects >= 2 && first.alerts.sent == subjects && first.alerts.failed == subjects, "\(first.alerts)")
        #expect(!first.needsAttention || first.sourceProblems.count == 1, "a mail server down for one run is not yet a person's problem")
        let pending = try config.openDatabase().alerts().filter { $0.channel == "email" }
        #expect(pending.allSatisfy { $0.status == "pending" && $0.attempts == 1 && ($0.lastError ?? "").contains("127.0.0.1:9") })
        #expect(pending.allSatisfy { !($0.lastError ?? "").contains("oncall@") })
        config.alerts.email?.server = "smtp://127.0.0.1:\(receivers.smtpPort)"
        let second = try await PollRun(config: config, environment: rig.environment, http: http, logger: LogCapture().logger()).run()
        #expect(second.alerts.sent == subjects && second.alerts.failed == 0 && second.alerts.queued == 0, "\(second.alerts)")
        #expect(receivers.received("mail").count == 1 && receivers.received("hook").count == 1)
        await rig.stop()
    }
}
