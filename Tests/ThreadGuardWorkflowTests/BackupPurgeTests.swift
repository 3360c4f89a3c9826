import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardPolicy
import ThreadGuardSandbox
import ThreadGuardStore
@testable import ThreadGuardWorkflow

@Suite("backup, restore and retention", .serialized)
struct BackupPurgeTests {
    /// A configuration file with the database in a folder of its own and the audit key and checkpoints outside it.
    static func writeConfig(_ folder: String, sources: String = "[]") throws -> (path: String, config: AppConfig) {
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        try PrivateFiles.createFolder(folder + "/anchor")
        try AuditAnchor.createKeyFile(folder + "/anchor/audit.key")
        let yaml = """
            database: db/tg.sqlite
            audit_key_file: \(folder)/anchor/audit.key
            audit_checkpoints: \(folder)/anchor/checkpoints.jsonl
            policies: \(RepoFolders.policies)
            connectors: \(RepoFolders.connectors)
            models: none
            sources: \(sources)

            """
        let path = folder + "/threadguard.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, try AppConfig.load(file: path))
    }

    @Test("a poll killed with SIGKILL while backup runs leaves a backup that opens, passes audit verify and holds every item stored before it began")
    func backupWhilePollIsKilled() async throws {
        let folder = try scratchFolder("backup")
        let world = SandboxWorld.generated(index: 7, comments: 4000)
        let state = SandboxState(world: world, token: "t0k3n")
        await state.setDelay(milliseconds: 15)
        let sandbox = try await SandboxServer.start(state: state)
        let (configPath, config) = try Self.writeConfig(folder, sources: """

              - {name: fb, connector: facebook, account: "\(world.accountID)", base_url: "\(sandbox.baseURL)", token_env: FB_TOKEN}
            """)
        let poll = Process()
        poll.executableURL = URL(fileURLWithPath: try threadguardBinary())
        poll.arguments = ["poll", "--config", configPath]
        poll.environment = ["FB_TOKEN": "t0k3n", "PATH": "/usr/bin:/bin"]
        poll.standardOutput = FileHandle.nullDevice
        poll.standardError = FileHandle.nullDevice
        try poll.run()
        // Wait until the poll has stored a good part of the page, then take the backup and kill the poll meanwhile.
        var before: Set<Int64> = []
        for _ in 0..<600 {
            try await Task.sleep(nanoseconds: 20_000_000)
            guard FileManager.default.fileExists(atPath: config.database),
                  let items = try? ThreadGuardDatabase(path: config.database, audit: config.audit).allItems(), items.count >= 1500 else { continue }
            before = Set(items.compactMap(\.id))
            break
        }
        #expect(before.count >= 1500, "the poll stored items")
        let backupFile = folder + "/backups/tg-backup.sqlite"
        try FileManager.default.createDirectory(atPath: folder + "/backups", withIntermediateDirectories: true)
        async let backup = runThreadguard(["backup", backupFile, "--config", configPath], environment: ["PATH": "/usr/bin:/bin"])
        // The moment the copy starts (its .partial file appears), the poll is killed.
        // Short naps that do not yield (the copy can be over in milliseconds), for at most 30 s by the clock: with the
        // whole suite running, the backup process may take seconds to start.
        var sawCopyRunning = false
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: backupFile + ".partial") { sawCopyRunning = true; break }
            if FileManager.default.fileExists(atPath: backupFile) { break }
            usleep(250)
        }
        let wasRunning = poll.isRunning
        kill(poll.processIdentifier, SIGKILL)
        #expect(sawCopyRunning, "the poll was killed while the copy was being written")
        poll.waitUntilExit()
        #expect(wasRunning, "the poll was still running when it was killed")
        #expect(poll.terminationReason == .uncaughtSignal)
        let (code, out, err) = try await backup
        #expect(code == 0, "\(err)")
        #expect(out.contains("backup written: \(backupFile)"))
        #expect(!FileManager.default.fileExists(atPath: backupFile + ".partial"))
        var status = stat()
        #expect(stat(backupFile, &status) == 0 && status.st_mode & 0o077 == 0, "the backup is its owner's only")

        let (verifyCode, verifyOut, _) = try await runThreadguard(["audit", "verify", "--backup", backupFile, "--config", configPath], environment: ["PATH": "/usr/bin:/bin"])
        #expect(verifyCode == 0, "\(verifyOut)")
        #expect(verifyOut.contains("audit log OK"))
        let copied = Set(try ThreadGuardDatabase(path: backupFile, audit: config.audit).allItems().compactMap(\.id))
        #expect(before.isSubset(of: copied), "\(before.subtracting(copied).count) items stored before the backup are missing from it")
        // The killed poll left the live database whole too.
        let (liveCode, liveOut, _) = try await runThreadguard(["audit", "verify", "--config", configPath], environment: ["PATH": "/usr/bin:/bin"])
        #expect(liveCode == 0, "\(liveOut)")
        // A second backup to the same name is refused; the first is untouched.
        let (again, _, againErr) = try await runThreadguard(["backup", backupFile, "--config", configPath], environment: ["PATH": "/usr/bin:/bin"])
        #expect(again == 73 && againErr.contains("already exists; name a new file"))
        // Restoring it: the live file is kept aside, the rows written after the backup are acknowledged, and the
        // restored log verifies.
        let restored = try await runThreadguard(["restore", backupFile, "--config", configPath, "--as", "ops"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(restored.0 == 0 && restored.1.contains("restored \(backupFile)"), "\(restored)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/db").contains { $0.hasPrefix("tg.sqlite.before-restore-") })
        let afterRestore = try await runThreadguard(["audit", "verify", "--config", configPath], environment: ["PATH": "/usr/bin:/bin"])
        #expect(afterRestore.0 == 0, "\(afterRestore)")
        #expect(Set(try config.openDatabase().allItems().compactMap(\.id)) == copied)
        await sandbox.stop()
    }

    @Test("purge removes old threads, never an open adverse-event intake nor an open review; audit verify passes after it")
    func purgeKeepsWhatMatters() async throws {
        let folder = try scratchFolder("purge")
        let (configPath, config) = try Self.writeConfig(folder)
        let database = try config.openDatabase()
        try database.registerSource(name: "fb", connector: "facebook", account: "page")
        let old = Date().addingTimeInterval(-500 * 86_400)
        func item(_ id: String, thread: String, _ text: String, at date: Date, kind: ItemKind = .comment) -> Item {
            Item(platform: .facebook, platformID: id, kind: kind, sourceName: "fb", threadRootID: thread, parentID: kind == .post ? nil : thread,
                 authorID: "u-\(id)", authorName: "Person \(id)", text: text, createdAt: date, fetchedAt: date, permalink: nil,
                 isBrand: kind == .post)
        }
        let ae = "My insulin pump stopped working at 2am and my sugar went way up"
        _ = try await database.storePage(source: "fb", stream: "s", items: [
            item("pA", thread: "pA", "Old post A", at: old, kind: .post), item("a1", thread: "pA", ae, at: old),
            item("pB", thread: "pB", "Old post B", at: old, kind: .post), item("b1", thread: "pB", "Love the new colours", at: old),
            item("pC", thread: "pC", "Old post C", at: old, kind: .post), item("c1", thread: "pC", "Great webinar", at: Date()),
            item("pD", thread: "pD", "Old post D", at: old, kind: .post), item("d1", thread: "pD", ae, at: old),
        ], cursor: nil)
        _ = try Decider(database: database, judge: Judge(policies: try PolicyLoader.load(directory: RepoFolders.policies)),
                        logger: LogCapture().logger()).decidePending()
        func id(_ platformID: String) throws -> Int64 { try #require(try database.item(platform: .facebook, platformID: platformID)?.id) }
        // a1: its review dismissed, its intake still open. d1: intake reported and review resolved.
        try database.review(itemID: try id("a1"), action: .dismiss, actor: "rita")
        try database.review(itemID: try id("d1"), action: .aeReported, actor: "rita")
        try database.review(itemID: try id("d1"), action: .dismiss, actor: "rita")
        #expect(try database.operationsSnapshot().intakes.map(\.itemID) == [try id("a1")])

        let dry = try await runThreadguard(["purge", "--older-than", "400d", "--dry-run", "--config", configPath], environment: ["PATH": "/usr/bin:/bin", "USER": "ops"])
        #expect(dry.0 == 0 && dry.1.contains("would remove 4 items"), "\(dry)")
        #expect(try database.allItems().count == 8, "a dry run removes nothing")
        let run = try await runThreadguard(["purge", "--older-than", "400d", "--config", configPath], environment: ["PATH": "/usr/bin:/bin", "USER": "ops"])
        #expect(run.0 == 0, "\(run)")
        #expect(run.1.contains("removed 4 items") && run.1.contains("(and 1 reported or closed intakes)"), "\(run.1)")
        #expect(run.1.contains("kept 2 in threads with an open adverse-event intake"), "\(run.1)")
        let left = Set(try database.allItems().map(\.platformID))
        #expect(left == ["pA", "a1", "pC", "c1"], "threads B and D go; A keeps its open intake (with its post); C has a new comment")
        #expect(try database.operationsSnapshot().intakes.count == 1)
        let (verifyCode, verifyOut, _) = try await runThreadguard(["audit", "verify", "--config", configPath], environment: ["PATH": "/usr/bin:/bin"])
        #expect(verifyCode == 0, "\(verifyOut)")
        let entry = try #require(try database.auditLog().last)
        #expect(entry.event == "retention.purge" && entry.actor == "cli:ops")
        #expect((entry.detail ?? "").contains("removed 4 items"))
        #expect(!(entry.detail ?? "").contains("insulin"), "no comment text in the audit log")
    }
}
