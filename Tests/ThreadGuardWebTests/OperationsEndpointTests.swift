import Foundation
import Testing
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

@Suite("health and metrics endpoints of serve", .serialized)
struct OperationsEndpointTests {
    @Test("/healthz and /metrics answer monitoring without a sign-in, in the Prometheus text format, with no comment text or names")
    func healthAndMetrics() async throws {
        let rig = try await WebRig.start()
        let client = rig.session()
        let health = try await client.get("/healthz")
        #expect(health.status == 200)
        #expect(health.text == #"{"status":"ok","database":"ok"}"#)
        // What a poll counted is in the database; the exposition adds it up.
        let tally = MetricsTally()
        tally.count("threadguard_items_polled_total", ["source": "fb", "platform": "facebook"], by: 5)
        tally.observe(.timeToHide, 42, labels: ["platform": "facebook"])
        try tally.save(to: rig.database)
        tally.count("threadguard_items_polled_total", ["source": "fb", "platform": "facebook"], by: 2)
        try tally.save(to: rig.database)

        let metrics = try await client.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = metrics.text
        #expect(text.contains("# TYPE threadguard_items_polled_total counter"))
        #expect(text.contains(#"threadguard_items_polled_total{platform="facebook",source="fb"} 7"#), "counters add up across runs")
        #expect(text.contains("# TYPE threadguard_time_to_hide_seconds histogram"))
        #expect(text.contains(#"threadguard_time_to_hide_seconds_bucket{le="30",platform="facebook"} 0"#))
        #expect(text.contains(#"threadguard_time_to_hide_seconds_bucket{le="60",platform="facebook"} 1"#))
        #expect(text.contains(#"threadguard_time_to_hide_seconds_sum{platform="facebook"} 42"#))
        #expect(text.contains("threadguard_crisis_open 1"), "the self-harm comment waits for a person")
        #expect(text.contains(#"threadguard_queue_open{priority="100"} 1"#))
        for word in ["Love the new colours", "husband", Hostile.author, "Dana"] { #expect(!text.contains(word), "\(word)") }
        // A refused token shows where the team works, not only in `status`.
        try rig.database.recordPollOutcome(source: "fb", error: "source 'fb' needs a new access token", kind: "needs_new_token", needsToken: true)
        let browser = rig.session()
        _ = try await browser.signIn("rita")
        let dashboard = try await browser.get("/dashboard").text
        #expect(dashboard.contains("<caption>Sources</caption>") && dashboard.contains("needs a new access token"))
        await rig.stop()
    }
}

@Suite("shadow rules on the review page", .serialized)
struct ShadowPageTests {
    @Test("what a shadow rule would have done is stored with the decision and shown on /shadow and the item page")
    func shadowOutcomes() async throws {
        let folder = NSTemporaryDirectory() + "tg-shadow-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: Repo.root + "/Policies", toPath: folder)
        try """
            rules:
              - id: trial.hide-colours
                title: Would we hide comments about colours?
                mode: shadow
                selections: {c: {text|includes-word: colours}}
                condition: c
                actions: [hide]
            """.write(toFile: folder + "/trial.yaml", atomically: true, encoding: .utf8)
        let rig = try await WebRig.start(policies: folder)
        let outcomes = try rig.database.shadowOutcomes()
        let colours = try #require(try rig.database.item(platform: .facebook, platformID: "c3")?.id)
        #expect(outcomes.map(\.itemID) == [colours] && outcomes.first?.wouldHave == ["hide"] && outcomes.first?.reviewStatus == nil)
        #expect(try rig.database.actions(itemID: colours).isEmpty, "a shadow rule acts on nothing")
        let browser = rig.session()
        _ = try await browser.signIn("rita")
        let page = try await browser.get("/shadow")
        #expect(page.status == 200)
        #expect(page.text.contains("href=\"/item/\(colours)\"") && page.text.contains("trial.hide-colours") && page.text.contains("hidden"))
        #expect(page.text.contains("not queued"))
        #expect(!page.text.contains("Love the new colours"), "the list shows ids, not comment text")
        let item = try await browser.get("/item/\(colours)")
        #expect(item.text.contains("Shadow rules (recorded, not acted on): trial.hide-colours — would have hidden"))
        #expect(try await rig.session().get("/shadow").status == 303, "signed-in people only")
        await rig.stop()
    }
}
