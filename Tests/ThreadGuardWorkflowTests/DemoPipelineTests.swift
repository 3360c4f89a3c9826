import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardDemo
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
import ThreadGuardPolicy
@testable import ThreadGuardWorkflow

/// The repository's own Policies/ and Connectors/ (tests run from the package root).
enum RepoFolders {
    static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }
    static var policies: String { root + "/Policies" }
    static var connectors: String { root + "/Connectors" }
}

func scratchFolder(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tg-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A fresh store in a scratch folder with one Facebook source, "s".
func scratchStore(_ name: String) throws -> ThreadGuardDatabase {
    let db = try ThreadGuardDatabase(path: try scratchFolder(name) + "/tg.sqlite")
    try db.registerSource(name: "s", connector: "facebook", account: "p")
    return db
}

/// Comment `n` of source "s", under post "p1", by user "U`n`".
func scratchComment(_ n: Int, text: String) -> Item {
    Item(platform: .facebook, platformID: "c\(n)", kind: .comment, sourceName: "s", threadRootID: "p1", parentID: "p1",
         authorID: "u\(n)", authorName: "U\(n)", text: text, createdAt: Date(), fetchedAt: Date(), permalink: nil)
}

@Suite("the demo pipeline end to end over loopback HTTP", .serialized)
struct DemoPipelineTests {
    @Test("the demo polls every comment, and the sandbox received exactly the hides and replies reported")
    func demoEndToEnd() async throws {
        let capture = LogCapture()
        let demo = DemoRun(workdir: try scratchFolder("demo"), policies: RepoFolders.policies,
                           connectors: RepoFolders.connectors, logger: capture.logger())
        let outcome = try await demo.run()
        let s = outcome.summary
        #expect(s.sourceProblems.isEmpty)
        #expect(s.polled == outcome.posts + outcome.comments)
        #expect(outcome.actionsMatch)
        #expect(s.hidden > 0 && s.repliesSent > 0)
        // Replies went out, except those that wait for a person (a crisis is only flagged).
        let waiting = try outcome.config.openDatabase().allActions().filter { $0.status == "draft" }.count
        #expect(waiting > 0)
        #expect(s.repliesDrafted == s.repliesSent + s.publicRepliesSent + s.repliesAlreadyThere + waiting)

        let db = try outcome.config.openDatabase()
        #expect(outcome.worlds.count == 6)
        for world in outcome.worlds {
            func wasHidden(_ fragment: String) throws -> Bool {
                let id = try #require(world.comments.first { $0.message.contains(fragment) }?.id)
                return outcome.sandboxActions.contains { ($0.kind == "hide" || $0.kind == "report") && $0.target == id }
            }
            #expect(try wasHidden("Mossy Hills Home"), "\(world.platform)")
            #expect(try wasHidden("MRN is 00123456"))
            #expect(try wasHidden("555-867-5309"))
            #expect(try wasHidden("ellen.park.1962@gmail.com"))
            #expect(try !wasHidden("Love the new colours"))
            #expect(try !wasHidden("Does the battery last"))
            #expect(try !wasHidden("I've had sleep apnea since 2015"), "a self-disclosure without identifiers stays public")
            // Every hidden item is hidden in the store too.
            for action in outcome.sandboxActions where action.kind == "hide" && action.platform == world.platform.rawValue {
                #expect(try db.item(platform: world.platform, platformID: action.target)?.isHidden == true)
            }
        }
        // Every reply went out with template text only, pointing to the phone line.
        for action in outcome.sandboxActions where action.kind == "private_reply" || action.kind == "public_reply" {
            let text = try #require(action.text)
            #expect(text.contains("1-800-555-0100"))
            for world in outcome.worlds { for comment in world.comments where !comment.message.isEmpty && comment.authorName != world.accountName { #expect(!text.contains(comment.message)) } }
        }
        #expect(outcome.sandboxActions.filter { $0.platform == "youtube" && $0.kind == "private_reply" }.isEmpty, "YouTube has no private messages")
        #expect(!outcome.sandboxActions.filter { $0.platform == "youtube" && $0.kind == "public_reply" }.isEmpty)
        // The brand's own posts and replies are stored but never judged.
        let brandItems = try db.allItems().filter(\.isBrand)
        #expect(brandItems.count == 5 * 6)
        for item in brandItems { #expect(try db.decision(itemID: item.id!) == nil) }
        // Logs carry ids and counts, never comment text, author names or the token.
        let logs = capture.all.joined(separator: "\n")
        #expect(!logs.isEmpty)
        for world in outcome.worlds {
            for comment in world.comments where comment.authorName != world.accountName {
                #expect(!logs.contains(comment.message))
                #expect(!logs.contains(comment.authorName))
            }
        }
        #expect(!logs.contains("sandbox-"))
    }

    @Test("running the demo twice gives the same result")
    func demoTwice() async throws {
        let folder = try scratchFolder("demo-twice")
        let first = try await DemoRun(workdir: folder, policies: RepoFolders.policies, connectors: RepoFolders.connectors, logger: LogCapture().logger()).run()
        let second = try await DemoRun(workdir: folder, policies: RepoFolders.policies, connectors: RepoFolders.connectors, logger: LogCapture().logger()).run()
        #expect(first.summary.polled == second.summary.polled)
        #expect(first.summary.flagged == second.summary.flagged)
        #expect(first.summary.hidden == second.summary.hidden)
        #expect(first.summary.repliesSent == second.summary.repliesSent)
        let order: (SandboxAction, SandboxAction) -> Bool = { ($0.platform, $0.kind, $0.target) < ($1.platform, $1.kind, $1.target) }
        #expect(first.sandboxActions.sorted(by: order) == second.sandboxActions.sorted(by: order))
    }
}

@Suite("polling a sandbox repeatedly", .serialized)
struct RepeatedPollTests {
    @Test("a second poll stores nothing twice and acts on nothing twice; a new comment is picked up from the cursor")
    func incremental() async throws {
        let folder = try scratchFolder("poll")
        let world = SandboxWorld.demoFacebook()
        let state = SandboxState(world: world, token: "tok-1")
        let sandbox = try await SandboxServer.start(state: state)
        let http = CurlHTTPClient()
        let config = AppConfig(
            database: folder + "/tg.sqlite", policies: RepoFolders.policies, connectors: RepoFolders.connectors,
            sources: [SourceConfig(name: "fb", connector: "facebook", account: world.accountID, baseURL: sandbox.baseURL, tokenEnv: "FB_TOKEN")])
        let run = PollRun(config: config, environment: ["FB_TOKEN": "tok-1"], http: http, logger: LogCapture().logger())
        let first = try await run.run()
        let requestsAfterFirst = await state.requestCount
        let actionsAfterFirst = await state.actions.count
        let second = try await run.run()
        #expect(first.polled == world.posts.count + world.comments.count)
        #expect(second.polled == 0)
        #expect(second.hidden == 0 && second.repliesSent == 0)
        #expect(await state.actions.count == actionsAfterFirst)
        #expect(await state.requestCount > requestsAfterFirst, "the second run did poll")

        await state.addComment(SandboxWorld.Comment(
            id: "\(world.accountID)_3003_7777", postID: "\(world.accountID)_3003", parentID: nil, authorID: "9999",
            authorName: "New Person", message: "my SSN is on my chart, MRN 55512345, please call me", createdAt: Date()))
        let third = try await run.run()
        #expect(third.polled == 1)
        #expect(third.hidden == 1)
        let db = try ThreadGuardDatabase(path: config.database)
        #expect(try db.allItems().count == world.posts.count + world.comments.count + 1)
        #expect(await state.actions.last?.target == "\(world.accountID)_3003_7777")
        http.shutdown()
        await sandbox.stop()
    }

    @Test("a refused token marks the source as needing a new token and says so")
    func expiredToken() async throws {
        let folder = try scratchFolder("token")
        let world = SandboxWorld.demoFacebook()
        let sandbox = try await SandboxServer.start(state: SandboxState(world: world, token: "good"))
        let http = CurlHTTPClient()
        let config = AppConfig(
            database: folder + "/tg.sqlite", policies: RepoFolders.policies, connectors: RepoFolders.connectors,
            sources: [SourceConfig(name: "fb", connector: "facebook", account: world.accountID, baseURL: sandbox.baseURL, tokenEnv: "FB_TOKEN")])
        let summary = try await PollRun(config: config, environment: ["FB_TOKEN": "expired"], http: http, logger: LogCapture().logger()).run()
        http.shutdown()
        await sandbox.stop()
        #expect(summary.needsAttention)
        #expect(summary.sourceProblems.count == 1)
        #expect(summary.sourceProblems[0].contains("source 'fb' needs a new access token"))
        #expect(summary.sourceProblems[0].contains("code 190"))
        #expect(try ThreadGuardDatabase(path: config.database).source(named: "fb")?.needsToken == true)
    }

    @Test("a missing token variable is reported for that source without polling it")
    func missingToken() async throws {
        let folder = try scratchFolder("notoken")
        let config = AppConfig(
            database: folder + "/tg.sqlite", policies: RepoFolders.policies, connectors: RepoFolders.connectors,
            sources: [SourceConfig(name: "fb", connector: "facebook", account: "1", baseURL: "http://127.0.0.1:9", tokenEnv: "NOT_SET_ANYWHERE")])
        let http = CurlHTTPClient()
        let summary = try await PollRun(config: config, environment: [:], http: http, logger: LogCapture().logger()).run()
        http.shutdown()
        #expect(summary.sourceProblems == ["source 'fb' needs a new access token: the environment variable NOT_SET_ANYWHERE is not set. Put a fresh token in its environment variable."])
    }
}

@Suite("policies in poll")
struct PollPolicyTests {
    @Test("a broken policy set never replaces a working one: poll keeps the last good set and says why")
    func lastGoodSet() async throws {
        let folder = try scratchFolder("lastgood")
        let policies = folder + "/Policies"
        try FileManager.default.copyItem(atPath: RepoFolders.policies, toPath: policies)
        let world = SandboxWorld.demoFacebook()
        let sandbox = try await SandboxServer.start(state: SandboxState(world: world, token: "t"))
        let http = CurlHTTPClient()
        let config = AppConfig(database: folder + "/tg.sqlite", policies: policies, connectors: RepoFolders.connectors,
                               sources: [SourceConfig(name: "fb", connector: "facebook", account: world.accountID, baseURL: sandbox.baseURL, tokenEnv: "T")])
        let first = try await PollRun(config: config, environment: ["T": "t"], http: http, logger: LogCapture().logger()).run()
        #expect(first.sourceProblems.isEmpty)
        // Break the rules file, add a new comment, poll again.
        try "rules: [{id: broken".write(toFile: policies + "/rules.yaml", atomically: true, encoding: .utf8)
        await sandbox.state.addComment(SandboxWorld.Comment(
            id: "\(world.accountID)_3001_8888", postID: "\(world.accountID)_3001", parentID: nil, authorID: "77",
            authorName: "X", message: "call me at 614-555-0199 about my pump", createdAt: Date()))
        let second = try await PollRun(config: config, environment: ["T": "t"], http: http, logger: LogCapture().logger()).run()
        http.shutdown()
        await sandbox.stop()
        #expect(second.polled == 1)
        #expect(second.hidden == 1, "the last good rules still hide the phone number")
        #expect(second.needsAttention)
        #expect(second.sourceProblems.first?.contains("are invalid") == true)
        #expect(second.sourceProblems.first?.contains("/Policies/rules.yaml:") == true)
    }
}

@Suite("policy replay")
struct PolicyReplayTests {
    @Test("replaying stored items with a changed set reports what would change, and acts on nothing")
    func replay() async throws {
        let folder = try scratchFolder("replay")
        let outcome = try await DemoRun(workdir: folder, policies: RepoFolders.policies, connectors: RepoFolders.connectors,
                                        logger: LogCapture().logger()).run()
        // A stricter set: every comment mentioning a device is hidden too.
        let stricter = folder + "/Stricter"
        try FileManager.default.copyItem(atPath: RepoFolders.policies, toPath: stricter)
        try """
            rules:
              - id: extra.hide-devices
                selections: {d: {text|includes-word: lexicon:devices}}
                condition: d
                actions: [hide]
            """.write(toFile: stricter + "/extra.yaml", atomically: true, encoding: .utf8)
        let db = try outcome.config.openDatabase()
        let actionsBefore = try db.allActions().count
        let report = try PolicyReplay(databasePath: outcome.database, audit: outcome.config.audit, policies: try PolicyLoader.load(directory: stricter))
            .run(since: Date().addingTimeInterval(-3600))
        let comments = outcome.worlds.reduce(0) { total, world in total + world.comments.filter { $0.authorID != world.accountID }.count }
        #expect(report.items == comments, "every stored comment of the six platforms")
        #expect(!report.newlyHidden.isEmpty)
        #expect(report.noLongerHidden.isEmpty)
        #expect(report.changed.allSatisfy { $0.rules.contains("extra.hide-devices") || !$0.after.contains("hide") || $0.before.contains("hide") })
        #expect(try db.allActions().count == actionsBefore, "replay never queues anything")
        // The same set replayed changes nothing.
        let same = try PolicyReplay(databasePath: outcome.database, audit: outcome.config.audit, policies: try PolicyLoader.load(directory: RepoFolders.policies))
            .run(since: Date().addingTimeInterval(-3600))
        #expect(same.changed.isEmpty)
    }
}

@Suite("adverse-event intake", .serialized)
struct AdverseEventIntakeTests {
    @Test("a possible adverse event opens an intake record with the awareness time, a due date and the criteria")
    func intake() async throws {
        let folder = try scratchFolder("ae")
        let world = SandboxWorld.demoFacebook()
        let sandbox = try await SandboxServer.start(state: SandboxState(world: world, token: "t"))
        await sandbox.state.addComment(SandboxWorld.Comment(
            id: "\(world.accountID)_3002_9999", postID: "\(world.accountID)_3002", parentID: nil, authorID: "501",
            authorName: "Pat Q", message: "My RestEasy stopped working last night and I woke up with a nosebleed", createdAt: Date()))
        let http = CurlHTTPClient()
        let config = AppConfig(database: folder + "/tg.sqlite", policies: RepoFolders.policies, connectors: RepoFolders.connectors,
                               sources: [SourceConfig(name: "fb", connector: "facebook", account: world.accountID, baseURL: sandbox.baseURL, tokenEnv: "T")])
        _ = try await PollRun(config: config, environment: ["T": "t"], http: http, logger: LogCapture().logger()).run()
        http.shutdown()
        await sandbox.stop()
        let db = try ThreadGuardDatabase(path: config.database)
        let records = try db.adverseEvents()
        let record = try #require(records.first { $0.platformID == "\(world.accountID)_3002_9999" })
        let item = try #require(try db.item(platform: .facebook, platformID: record.platformID))
        #expect(abs(record.awareAt.timeIntervalSince(item.fetchedAt)) < 0.01)
        #expect(abs(record.dueAt.timeIntervalSince(item.fetchedAt) - 15 * 86_400) < 1)
        #expect(record.status == "open")
        #expect(record.reporterIdentifiable && record.reporterHandle == "Pat Q")
        #expect(record.patientIdentifiable && record.patientRelation == "commenter")
        #expect(record.suspectProducts.contains("RestEasy"))
        #expect(record.eventTerms.contains("nosebleed"))
        #expect(record.isComplete)
        #expect(try db.auditLog().contains { $0.event == "adverse_event.opened" && $0.itemID == record.itemID })
        #expect(try db.verifyAudit().isIntact)
        // Deciding again opens nothing new.
        #expect(try db.adverseEvents().count == records.count)
    }
}
