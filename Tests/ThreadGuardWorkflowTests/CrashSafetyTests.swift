import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardSandbox
import ThreadGuardStore
@testable import ThreadGuardWorkflow

/// The `threadguard` binary next to the test build (built on demand: `swift test` does not always link it).
func threadguardBinary() throws -> String {
    let root = RepoFolders.root
    let candidates = [root + "/.build/debug/threadguard", root + "/.build/x86_64-unknown-linux-gnu/debug/threadguard"]
    if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
    let build = Process()
    build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    build.arguments = ["swift", "build", "--product", "threadguard"]
    build.currentDirectoryURL = URL(fileURLWithPath: root)
    try build.run()
    build.waitUntilExit()
    return try #require(candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }))
}

/// Waits for a child process without blocking a thread of the cooperative pool (the sandbox in this process needs them).
func exited(_ process: Process) async throws {
    while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
}

/// `threadguard poll --config CONFIG`, started quietly.
func startPoll(_ binary: String, config: String, environment: [String: String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["poll", "--config", config]
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// The item index a sandbox Graph `after` cursor (`base64("idx:N")`) points at, or -1.
func graphIndex(_ cursor: String) -> Int {
    Int(String(decoding: Data(base64Encoded: cursor) ?? Data(), as: UTF8.self).dropFirst(4)) ?? -1
}

/// The `sources:` entries of a configuration polling `worlds` in the sandbox at `baseURL`.
func sandboxSourcesYAML(_ worlds: [SandboxWorld], baseURL: String, tokenEnv: String, redditEnv: String) -> String {
    worlds.map { world in
        let prefix = world.platform == .facebook ? "" : "/\(world.platform.rawValue)"
        return """
              - name: \(world.platform.rawValue)
                connector: \(world.platform.rawValue)
                account: "\(world.accountID)"
                base_url: \(baseURL)\(prefix)
                token_env: \(world.platform == .reddit ? redditEnv : tokenEnv)

            """
    }.joined()
}

/// A new comment with a phone number under each world's last post, with an id of the platform's shape for `run`.
func addCrashComments(_ state: SandboxState, _ worlds: [SandboxWorld], run: Int) async {
    for world in worlds {
        let post = world.posts.last!
        let id: String = switch world.platform {
        case .x: String(1_790_000_000_500_000_000 + run)
        case .mastodon: String(113_000_000_500_000_000 + run)
        case .reddit: "t1_" + String(5_000_000 + run, radix: 36)
        case .youtube: "UgzCrash\(run)AaABAg"
        default: "\(post.id)_crash\(run)"
        }
        await state.addComment(SandboxWorld.Comment(
            id: id, postID: post.id, parentID: nil, authorID: "9\(run)00", authorName: "user\(run)",
            message: "call me at 614-555-01\(10 + run) about my pump", createdAt: Date()))
    }
}

/// Every stored item a resume cursor (Graph's after) or high-water mark (X's newest id) claims to cover is stored.
func expectNoCursorAhead(_ worlds: [SandboxWorld], stored: [ItemRecord], cursors: (String) throws -> [CursorRecord]) throws {
    for world in worlds {
        for cursor in try cursors(world.platform.rawValue) {
            let parts = cursor.stream.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let comments = world.comments.filter { $0.postID == parts[1] }
            let covered: [String]
            switch world.platform {
            case .facebook:
                covered = comments.prefix(graphIndex(cursor.position) + 1).map(\.id)
            case .instagram:
                let top = comments.filter { $0.parentID == nil }.prefix(graphIndex(cursor.position) + 1).map(\.id)
                covered = comments.filter { top.contains($0.id) || top.contains($0.parentID ?? "") }.map(\.id)
            case .x:
                covered = comments.filter { (Decimal(string: $0.id) ?? 0) <= (Decimal(string: cursor.position) ?? 0) }.map(\.id)
            default:
                covered = []
            }
            for id in covered { #expect(stored.contains { $0.platformID == id }, "\(world.platform) cursor \(cursor.stream) is ahead of \(id)") }
        }
    }
}

/// Never a second reply to the same comment, not even an attempt; the replies the platforms received.
@discardableResult
func expectNoReplyTwice(_ state: SandboxState) async -> [String] {
    let replies = await state.actions.filter { $0.kind == "private_reply" || $0.kind == "public_reply" }.map { "\($0.platform):\($0.kind):\($0.target)" }
    let twice = Dictionary(grouping: replies, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    #expect(twice.isEmpty, "replied more than once: \(twice)")
    #expect(await state.duplicateReplyAttempts == 0)
    return replies
}

@Suite("crash safety under SIGKILL", .serialized)
struct CrashSafetyTests {
    @Test("killing poll at random moments 30 times on six platforms loses nothing, stores nothing twice, never replies twice")
    func sigkill() async throws {
        let binary = try threadguardBinary()
        let folder = try scratchFolder("crash")
        let worlds = Platform.allCases.map { SandboxWorld.demo(platform: $0) }
        let state = SandboxState(worlds: worlds, token: "crash-token")
        await state.setDelay(milliseconds: 2)
        let sandbox = try await SandboxServer.start(state: state)
        let config = folder + "/threadguard.yaml"
        let yaml = """
            database: tg.sqlite
            policies: \(RepoFolders.policies)
            connectors: \(RepoFolders.connectors)
            sources:

            """ + sandboxSourcesYAML(worlds, baseURL: sandbox.baseURL, tokenEnv: "CRASH_TOKEN", redditEnv: "CRASH_REDDIT")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["CRASH_TOKEN": "crash-token", "CRASH_REDDIT": "app:secret:mod:pw", "PATH": "/usr/bin:/bin"]
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for run in 0..<30 {
            // New comments keep arriving between runs, on every platform.
            if run % 3 == 0 { await addCrashComments(state, worlds, run: run) }
            let process = try startPoll(binary, config: config, environment: environment)
            try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...400_000_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            try await exited(process)
        }
        // A final poll runs to the end; a second one stores the brand's own replies the first one posted.
        for _ in 0..<2 {
            let final = try startPoll(binary, config: config, environment: environment)
            try await exited(final)
            #expect(final.terminationStatus == 0)
        }
        #expect(killed >= 10, "only \(killed) runs were killed mid-way; the test would prove little")

        let db = try ThreadGuardDatabase(path: folder + "/tg.sqlite")
        let finalWorlds = await state.allWorlds
        let stored = try db.allItems()
        // Every post and comment of every platform stored exactly once (the brand's own replies included).
        let expected = finalWorlds.flatMap { w in w.posts.map { "\(w.platform.rawValue):\($0.id)" } + w.comments.map { "\(w.platform.rawValue):\($0.id)" } }
        #expect(stored.count == expected.count)
        #expect(Set(stored.map { "\($0.platform):\($0.platformID)" }) == Set(expected))
        // No cursor ahead of the stored data; never a second reply to the same comment.
        try expectNoCursorAhead(finalWorlds, stored: stored, cursors: db.cursors(source:))
        let actions = await state.actions
        await expectNoReplyTwice(state)
        // Every decided hide happened.
        for action in try db.allActions() where action.kind == "hide" {
            let item = try #require(try db.item(id: action.itemID))
            #expect(action.status == "done", "hide of \(item.platform):\(item.platformID) is \(action.status)")
            let world = try #require(finalWorlds.first { $0.platform.rawValue == item.platform })
            if world.platform == .mastodon {
                #expect(actions.contains { $0.kind == "report" && $0.target == item.platformID })
            } else {
                #expect(world.comments.contains { $0.id == item.platformID && $0.isHidden })
            }
        }
        #expect(try db.verifyAudit().isIntact)
        await sandbox.stop()
    }
}

@Suite("poll lock")
struct PollLockTests {
    @Test("a second run cannot take the lock while the first holds it; it is free again afterwards")
    func exclusive() throws {
        let database = try scratchFolder("lock") + "/tg.sqlite"
        var first = try PollLock.acquire(databasePath: database)
        #expect(first != nil)
        #expect(try PollLock.acquire(databasePath: database) == nil)
        first = nil
        #expect(try PollLock.acquire(databasePath: database) != nil)
    }
}
