import Foundation
import Testing
import ThreadGuardConnect
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

@Suite("crash safety under SIGKILL", .serialized)
struct CrashSafetyTests {
    @Test("killing poll at random moments 30 times loses nothing, stores nothing twice, never replies twice")
    func sigkill() async throws {
        let binary = try threadguardBinary()
        let folder = try scratchFolder("crash")
        let world = SandboxWorld.demoFacebook()
        let state = SandboxState(world: world, token: "crash-token")
        await state.setDelay(milliseconds: 4)
        let sandbox = try await SandboxServer.start(state: state)
        let config = folder + "/threadguard.yaml"
        try """
            database: tg.sqlite
            policies: \(RepoFolders.policies)
            connectors: \(RepoFolders.connectors)
            sources:
              - name: fb
                connector: facebook
                account: "\(world.accountID)"
                base_url: \(sandbox.baseURL)
                token_env: CRASH_TOKEN
            """.write(toFile: config, atomically: true, encoding: .utf8)
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for run in 0..<30 {
            // New comments keep arriving between runs.
            if run % 3 == 0 {
                await state.addComment(SandboxWorld.Comment(
                    id: "\(world.accountID)_3001_\(6000 + run)", postID: "\(world.accountID)_3001", parentID: nil,
                    authorID: "u\(run)", authorName: "User \(run)", message: "call me at 614-555-01\(10 + run) about my pump",
                    createdAt: Date()))
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["poll", "--config", config]
            process.environment = ["CRASH_TOKEN": "crash-token", "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...250_000_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
        }
        // A final poll runs to the end.
        let final = Process()
        final.executableURL = URL(fileURLWithPath: binary)
        final.arguments = ["poll", "--config", config]
        final.environment = ["CRASH_TOKEN": "crash-token", "PATH": "/usr/bin:/bin"]
        final.standardOutput = FileHandle.nullDevice
        final.standardError = FileHandle.nullDevice
        try final.run()
        final.waitUntilExit()
        #expect(final.terminationStatus == 0)
        #expect(killed >= 10, "only \(killed) runs were killed mid-way; the test would prove little")

        let db = try ThreadGuardDatabase(path: folder + "/tg.sqlite")
        let finalWorld = await state.world
        let stored = try db.allItems()
        // Every sandbox post and comment stored exactly once.
        #expect(stored.count == finalWorld.posts.count + finalWorld.comments.count)
        #expect(Set(stored.map(\.platformID)) == Set(finalWorld.posts.map(\.id) + finalWorld.comments.map(\.id)))
        // No cursor ahead of the stored data.
        for cursor in try db.cursors(source: "fb") where cursor.stream.hasPrefix("comments:") {
            let post = String(cursor.stream.dropFirst("comments:".count))
            let index = Int(String(decoding: Data(base64Encoded: cursor.position) ?? Data(), as: UTF8.self).dropFirst(4)) ?? -1
            let covered = finalWorld.comments.filter { $0.postID == post }.prefix(index + 1).map(\.id)
            #expect(covered.allSatisfy { id in stored.contains { $0.platformID == id } })
        }
        // Never a second private reply to the same comment, not even an attempt.
        let actions = await state.actions
        let replies = actions.filter { $0.kind == "private_reply" }.map(\.target)
        #expect(replies.count == Set(replies).count)
        #expect(await state.duplicateReplyAttempts == 0)
        // Every decided hide happened.
        let hidden = Set(finalWorld.comments.filter(\.isHidden).map(\.id))
        for action in try db.allActions() where action.kind == "hide" {
            let item = try #require(try db.item(id: action.itemID))
            #expect(action.status == "done")
            #expect(hidden.contains(item.platformID))
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
