import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
@testable import ThreadGuardWorkflow

/// Platforms answer errors with their own words, and some echo the request back: its address with the access token
/// in the query, and what was sent. None of it may reach stderr, the logs, `source.lastError`, an action's error or
/// the audit log (and so `audit export`).
@Suite("platform errors carry no secrets and no comment text", .serialized)
struct SecretLeakTests {
    static let token = "EAAGsecretTOKEN0123456789abcdefXYZ"
    static let extra = "my mom's MRN is 00123456"

    func everything(_ database: ThreadGuardDatabase, _ summary: RunSummary, _ logs: LogCapture) throws -> String {
        let audit = try database.auditLog().map { [$0.actor, $0.event, $0.ruleIDs, $0.before ?? "", $0.after ?? "", $0.detail ?? ""].joined(separator: " ") }
        let sources = try database.sourceRecords().map { $0.lastError ?? "" }
        let actions = try database.allActions().map { $0.lastError ?? "" }
        return (audit + sources + actions + summary.sourceProblems + logs.all).joined(separator: "\n")
    }

    func expectClean(_ text: String, _ platform: Platform) {
        #expect(!text.contains(Self.token), "\(platform): the token leaked")
        #expect(!text.contains("access_token="), "\(platform)")
        #expect(!text.contains(Self.extra), "\(platform): the echoed text leaked")
        #expect(!text.contains("Invalid parameter"), "\(platform): the platform's own words were kept")
    }

    @Test("a poll that fails with an echoing error, and an action that does, leave nothing of it", arguments: Platform.allCases)
    func echoingErrors(_ platform: Platform) async throws {
        let folder = try scratchFolder("leak")
        let world = SandboxWorld.demo(platform: platform)
        let state = SandboxState(world: world, token: Self.token)
        let sandbox = try await SandboxServer.start(state: state)
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        let prefix = platform == .facebook ? "" : "/\(platform.rawValue)"
        let secret = platform == .reddit ? "app:secret:mod:pw" : Self.token
        let config = AppConfig(database: folder + "/tg.sqlite", policies: RepoFolders.policies, connectors: RepoFolders.connectors,
                               sources: [SourceConfig(name: "s", connector: platform.rawValue, account: world.accountID,
                                                      baseURL: sandbox.baseURL + prefix, tokenEnv: "T")])
        let logs = LogCapture()
        let run = PollRun(config: config, environment: ["T": secret], http: http, logger: logs.logger())
        // The first request of the poll is refused with the echo (a 4xx: not retried).
        await state.inject([.echoingRequest(extra: Self.extra)])
        let failed = try await run.run()
        #expect(failed.needsAttention)
        #expect(failed.sourceProblems.contains { $0.contains("HTTP 4") }, "\(failed.sourceProblems)")
        let database = try ThreadGuardDatabase(path: config.database)
        expectClean(try everything(database, failed, logs), platform)
        // A poll that works, then a person's hide that the platform refuses the same way.
        let ok = try await run.run()
        #expect(ok.sourceProblems.isEmpty, "\(ok.sourceProblems)")
        var all = QueueFilter()
        all.status = nil
        all.pageSize = 200
        let target = try #require(try database.queue(all).rows.first)
        try database.review(itemID: target.itemID, action: platform == .mastodon ? .hide : .unhide, actor: "dana")
        await state.inject([.echoingRequest(extra: Self.extra)])
        let connectors = try ConnectorRegistry(directory: config.connectors)
            .connectors(for: config.sources, http: http, environment: ["T": secret], logger: logs.logger()).connectors
        let outcome = try await Executor(database: database, logger: logs.logger()).execute(connectors: connectors)
        #expect(outcome.dead == 1)
        let acted = ok
        let failedActions = try database.allActions().filter { $0.status == "dead" }
        #expect(!failedActions.isEmpty, "the refused action recorded its failure")
        #expect(failedActions.allSatisfy { $0.lastError?.contains("HTTP 4") == true }, "\(failedActions.map(\.lastError))")
        expectClean(try everything(database, acted, logs), platform)
        await sandbox.stop()
    }

    @Test("error texts are scrubbed of URL queries and credentials whatever their source")
    func scrub() {
        #expect(Redaction.scrub("GET https://graph.facebook.com/v19.0/1/comments?access_token=abc&x=1 failed") == "GET https://graph.facebook.com/v19.0/1/comments?[query removed] failed")
        #expect(Redaction.scrub("refused: access_token=EAAB123, retry") == "refused: access_token=[redacted], retry")
        #expect(Redaction.scrub("Authorization: Bearer abc.def.ghi") == "Authorization: Bearer [redacted]")
        #expect(Redaction.scrub("echo EAAGsecretTOKEN0123456789abcdefXYZ back") == "echo [redacted] back")
        #expect(Redaction.scrub("source 'fb' needs a new access token: HTTP 400, error code 190. Put a fresh token in its environment variable.")
                == "source 'fb' needs a new access token: HTTP 400, error code 190. Put a fresh token in its environment variable.")
    }
}
