import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
@testable import ThreadGuardWorkflow

@Suite("polling under platform faults", .serialized)
struct FaultTests {
    /// Polls a fresh demo sandbox with `faults` queued; returns the summary, the stored item count and the world size.
    func poll(with faults: [SandboxFault], thenAgain: Bool = false, failureWindow: TimeInterval = AppConfig.defaultFailureWindow) async throws
        -> (RunSummary, RunSummary?, Int, Int, Int) {
        let folder = try scratchFolder("fault")
        let world = SandboxWorld.demoFacebook()
        let state = SandboxState(world: world, token: "t")
        await state.inject(faults)
        let sandbox = try await SandboxServer.start(state: state)
        let http = CurlHTTPClient()
        let config = AppConfig(database: folder + "/tg.sqlite", policies: RepoFolders.policies, connectors: RepoFolders.connectors,
                               sources: [SourceConfig(name: "fb", connector: "facebook", account: world.accountID, baseURL: sandbox.baseURL, tokenEnv: "T")],
                               failureWindow: failureWindow)
        let run = PollRun(config: config, environment: ["T": "t"], http: http, logger: LogCapture().logger())
        let first = try await run.run()
        let second = thenAgain ? try await run.run() : nil
        let requests = await state.requestCount
        http.shutdown()
        await sandbox.stop()
        let stored = try ThreadGuardDatabase(path: config.database).allItems().count
        return (first, second, stored, world.posts.count + world.comments.count, requests)
    }

    @Test("a passing fault is retried and nothing is lost", arguments: [
        [SandboxFault.rateLimit(retryAfter: 1)], [.rateLimit(retryAfter: nil)], [.serverError, .serverError],
        [.truncatedJSON], [.htmlError],
    ])
    func retried(_ faults: [SandboxFault]) async throws {
        let (summary, _, stored, total, _) = try await poll(with: faults)
        #expect(summary.sourceProblems.isEmpty, "\(summary.sourceProblems)")
        #expect(stored == total)
    }

    @Test("a fault that does not pass ends the poll with a clear message; the next poll picks up everything; only a refused token needs a person at once", arguments: [
        (Array(repeating: SandboxFault.serverError, count: 4), "temporary failure: HTTP 500, error code 1", false),
        (Array(repeating: SandboxFault.htmlError, count: 4), "(an HTML error page, not the API)", false),
        ([SandboxFault.rateLimit(retryAfter: 3600)], "is rate limited; retry after 3600 s", false),
        ([SandboxFault.expiredToken], "needs a new access token: HTTP 400, error code 190", true),
    ])
    func endsClearly(_ faults: [SandboxFault], _ message: String, _ needsPerson: Bool) async throws {
        let (first, second, stored, total, _) = try await poll(with: faults, thenAgain: true)
        #expect(first.needsAttention == needsPerson, "passing trouble is retried by the next cron run, not mailed")
        #expect((needsPerson ? first.sourceProblems : first.passingProblems).contains { $0.contains(message) }, "\(first)")
        #expect(second?.sourceProblems.isEmpty == true && second?.passingProblems.isEmpty == true)
        #expect(stored == total)
    }

    @Test("passing failures that outlast the failure window need a person (exit 3)")
    func failureWindow() async throws {
        let (first, _, _, _, _) = try await poll(with: Array(repeating: SandboxFault.serverError, count: 4), failureWindow: 0)
        #expect(first.needsAttention)
        #expect(first.sourceProblems.contains { $0.contains("HTTP 500") }, "\(first)")
        var record = SourceRecord(name: "s", connector: "facebook", account: "a", failingSince: Date().addingTimeInterval(-600), errorKind: "temporary")
        #expect(!record.needsPerson(window: 1800) && record.needsPerson(window: 300))
        record.errorKind = "permanent"
        #expect(record.needsPerson(window: 1800), "retrying will not mend a permanent failure")
        record.errorKind = nil
        record.failingSince = nil
        #expect(!record.needsPerson(window: 0))
    }

    @Test("Meta usage headers are read: above 75% the connector slows down")
    func pacing() async throws {
        let pacer = RatePacer()
        let busy = IncomingResponse(status: 200, headers: [(name: "X-App-Usage", value: #"{"call_count":95,"total_time":20,"total_cputime":10}"#)], body: Data())
        #expect(RatePacer.metaUsage(busy) == 95)
        await pacer.observe(busy)
        #expect(await pacer.delayBeforeNextRequest() > 1.5)
        await pacer.observe(IncomingResponse(status: 200, headers: [(name: "X-App-Usage", value: #"{"call_count":10}"#)], body: Data()))
        #expect(await pacer.delayBeforeNextRequest() == 0)
        let business = IncomingResponse(status: 200, headers: [(name: "X-Business-Use-Case-Usage", value: #"{"1234":[{"type":"pages","call_count":80,"total_time":5}]}"#)], body: Data())
        #expect(RatePacer.metaUsage(business) == 80)
    }
}
