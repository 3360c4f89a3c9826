import Foundation
import HummingbirdBcrypt
import Testing
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardSandbox
import ThreadGuardStore
@testable import ThreadGuardWorkflow

/// A Facebook sandbox with a hostile comment, a configuration file for the `threadguard` binary (database in a
/// folder of its own, audit key and checkpoints outside it), one poll done, and a user for `--as`.
struct CLIRig {
    let folder: String
    let state: SandboxState
    let sandbox: SandboxServer
    let configPath: String
    let config: AppConfig
    let environment: [String: String]

    static let token = "EAAGcliTOKEN0123456789abcdefXYZ"
    static let hostileText = "call me at 614-555-0199 \u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31mred and \u{202E}desrever, my mom's pump failed"
    static let hostileAuthor = "\u{1B}[1mEve\u{1B}[0m"

    static func start(_ name: String) async throws -> CLIRig {
        let folder = try scratchFolder(name)
        var world = SandboxWorld.demoFacebook()
        world.comments.append(SandboxWorld.Comment(id: "\(world.posts[0].id)_9001", postID: world.posts[0].id, parentID: nil, authorID: "u9001",
                                                   authorName: hostileAuthor, message: hostileText, createdAt: Date().addingTimeInterval(-60)))
        let state = SandboxState(world: world, token: token)
        let sandbox = try await SandboxServer.start(state: state)
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        let yaml = """
            database: db/tg.sqlite
            audit_key_file: \(folder)/anchor/audit.key
            audit_checkpoints: \(folder)/anchor/checkpoints.jsonl
            policies: \(RepoFolders.policies)
            connectors: \(RepoFolders.connectors)
            sources:
              - name: fb
                connector: facebook
                account: "\(world.accountID)"
                base_url: \(sandbox.baseURL)
                token_env: CLI_TOKEN

            """
        let configPath = folder + "/threadguard.yaml"
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        try PrivateFiles.createFolder(folder + "/anchor")
        try AuditAnchor.createKeyFile(folder + "/anchor/audit.key")
        let environment = ["CLI_TOKEN": token, "PATH": "/usr/bin:/bin", "USER": "nobody-here"]
        let rig = CLIRig(folder: folder, state: state, sandbox: sandbox, configPath: configPath, config: try AppConfig.load(file: configPath),
                         environment: environment)
        return rig
    }

    func stop() async { await sandbox.stop() }

    /// Runs the binary to the end with the rig's environment; its exit status, standard output and standard error.
    func run(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]) async throws -> (Int32, String, String) {
        try await runThreadguard(arguments, input: input.map { Data($0.utf8) }, environment: environment.merging(extra) { $1 })
    }

    func sqlite(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-cmd", ".timeout 5000", config.database, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite3: \(sql)")
    }
}

/// Runs the threadguard binary to the end (this process's environment unless one is given); its exit status, standard
/// output and standard error. The input is written, and the output read while it runs (a full pipe would stall it),
/// on threads of their own: the sandbox in this process needs every thread of the cooperative pool.
func runThreadguard(_ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                    executable: String? = nil) async throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try executable ?? threadguardBinary())
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe(), inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    Thread {
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
    }.start()
    async let output = readToEnd(out.fileHandleForReading)
    async let errors = readToEnd(err.fileHandleForReading)
    let (o, e) = await (output, errors)
    try await exited(process)
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Everything a pipe holds until its writer closes it, read on a thread of its own (the sandbox in this process
/// needs every thread of the cooperative pool).
func readToEnd(_ handle: FileHandle) async -> Data {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
    }
}

@Suite("the command line under hostile data", .serialized)
struct CommandLineTests {
    @Test("queue approve and unhide send at once instead of crashing; --as must name a user")
    func approveAndUnhide() async throws {
        let rig = try await CLIRig.start("cli-queue")
        let (status, _, _) = try await rig.run(["poll", "--config", rig.configPath])
        #expect(status == 0 || status == 3)
        let database = try rig.config.openDatabase()
        try database.addUser(name: "dana", passwordHash: Bcrypt.hash("dana-password-0001", cost: 4), role: "reviewer", actor: "test")
        let draft = try #require(try database.allActions().first { $0.kind == "private_reply" && $0.status == "draft" })
        let (unknown, _, unknownErr) = try await rig.run(["queue", "approve", String(draft.itemID), "--config", rig.configPath, "--as", "mallory"])
        #expect(unknown == 64)
        #expect(unknownErr.contains("'mallory' is not a user of the review page"))
        let (approved, approvedOut, approvedErr) = try await rig.run(["queue", "approve", String(draft.itemID), "--config", rig.configPath, "--as", "dana"])
        #expect(approved == 0, "\(approvedErr)")
        #expect(approvedOut.contains("sent 1 action(s)"))
        #expect(!approvedErr.contains("Can't read a value"))
        #expect(try database.action(id: draft.id!)?.status == "done")
        let hidden = try #require(try database.allItems().first { $0.isHidden })
        let (unhid, unhideOut, unhideErr) = try await rig.run(["queue", "unhide", String(hidden.id!), "--config", rig.configPath, "--as", "dana"])
        #expect(unhid == 0, "\(unhideErr)")
        #expect(unhideOut.contains("sent 1 action(s)"))
        #expect(try database.item(id: hidden.id!)?.isHidden == false)
        await rig.stop()
    }

    @Test("queue list and show print control characters of comments and names escaped")
    func terminalEscapes() async throws {
        let rig = try await CLIRig.start("cli-escape")
        _ = try await rig.run(["poll", "--config", rig.configPath])
        let database = try rig.config.openDatabase()
        try database.addUser(name: "dana", passwordHash: Bcrypt.hash("dana-password-0001", cost: 4), role: "reviewer", actor: "test")
        let hostile = try #require(try database.allItems().first { $0.authorName == CLIRig.hostileAuthor })
        let (_, list, _) = try await rig.run(["queue", "list", "--status", "all", "--limit", "200", "--config", rig.configPath])
        let (_, show, _) = try await rig.run(["queue", "show", String(hostile.id!), "--reveal", "--config", rig.configPath, "--as", "dana"])
        for output in [list, show] {
            #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "a raw control character reached the terminal")
        }
        #expect(show.contains("\\u{1B}[2J") && show.contains("\\u{202E}"), "escapes are shown visibly")
        #expect(show.contains("\\u{1B}[1mEve"))
        await rig.stop()
    }

    @Test("audit verify and export on a tampered log: a named problem and exit 3, never a crash or SQL")
    func auditTampered() async throws {
        let rig = try await CLIRig.start("cli-audit")
        _ = try await rig.run(["poll", "--config", rig.configPath])
        let (ok, okOut, _) = try await rig.run(["audit", "verify", "--config", rig.configPath])
        #expect(ok == 0, "\(okOut)")
        #expect(okOut.contains("matches the signed checkpoint"))
        try rig.sqlite("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; CREATE TABLE loose AS SELECT * FROM audit; DROP TABLE audit; ALTER TABLE loose RENAME TO audit; UPDATE audit SET actor = NULL WHERE id = 3;")
        let (nullActor, nullOut, nullErr) = try await rig.run(["audit", "verify", "--config", rig.configPath])
        #expect(nullActor == 3)
        #expect(nullOut.contains("audit row 3: its actor is missing (NULL)"), "\(nullOut)\(nullErr)")
        let (export, _, exportErr) = try await rig.run(["audit", "export", "--config", rig.configPath])
        #expect(export == 3 || export == 0)
        #expect(!exportErr.contains("Fatal error"))
        try rig.sqlite("DROP TABLE audit;")
        let (dropped, droppedOut, droppedErr) = try await rig.run(["audit", "verify", "--config", rig.configPath])
        #expect(dropped == 3)
        #expect(droppedOut.contains("the audit table is missing (dropped)"))
        for text in [nullOut, nullErr, droppedOut, droppedErr, exportErr] {
            #expect(!text.contains("SELECT") && !text.contains("Fatal error"), "\(text)")
        }
        await rig.stop()
    }

    @Test("a platform error echoing the request leaves no token in stderr, the logs or audit export")
    func noTokenAfterEchoingError() async throws {
        let rig = try await CLIRig.start("cli-token")
        await rig.state.inject([.echoingRequest(extra: CLIRig.hostileText)])
        let (status, out, err) = try await rig.run(["poll", "--config", rig.configPath, "--verbose", "--log-level", "trace"])
        #expect(status == 3)
        #expect(err.contains("HTTP 400"))
        let (_, export, _) = try await rig.run(["audit", "export", "--format", "jsonl", "--config", rig.configPath])
        let (_, csv, _) = try await rig.run(["audit", "export", "--format", "csv", "--config", rig.configPath])
        for text in [out, err, export, csv] {
            #expect(!text.contains(CLIRig.token))
            #expect(!text.contains("access_token="))
            #expect(!text.contains("614-555-0199"))
        }
        await rig.stop()
    }

    @Test("serve on a port in use exits 69 with a message instead of hanging")
    func busyPort() async throws {
        let rig = try await CLIRig.start("cli-port")
        let port = URLComponents(string: rig.sandbox.baseURL)!.port!
        let (status, _, err) = try await rig.run(["serve", "--config", rig.configPath, "--port", String(port)])
        #expect(status == 69)
        #expect(err.contains("could not listen on 127.0.0.1:\(port)"))
        await rig.stop()
    }

    @Test("user add refuses a password of spaces, a look-alike name and a mixed-script name; audit names who added")
    func users() async throws {
        let rig = try await CLIRig.start("cli-users")
        let add = ["user", "add", "--config", rig.configPath, "--role", "admin"]
        let (spaces, _, spacesErr) = try await rig.run(add + ["admin"], input: String(repeating: " ", count: 12) + "\n")
        #expect(spaces == 64)
        #expect(spacesErr.contains("cannot be only spaces"))
        let (ok, _, okErr) = try await rig.run(add + ["admin"], input: "quartz-meadow-falcon-81\n", environment: ["USER": "ops"])
        #expect(ok == 0, "\(okErr)")
        let (lookalike, _, lookalikeErr) = try await rig.run(add + ["аdmin"], input: "quartz-meadow-falcon-82\n")  // Cyrillic а
        #expect(lookalike == 64)
        #expect(lookalikeErr.contains("mixes Cyrillic and Latin"), "\(lookalikeErr)")
        let (whole, _, wholeErr) = try await rig.run(add + ["асе"], input: "quartz-meadow-falcon-83\n")  // all Cyrillic, looks like "ace"
        #expect(whole == 0, "\(wholeErr)")
        let (twin, _, twinErr) = try await rig.run(add + ["ace"], input: "quartz-meadow-falcon-84\n")
        #expect(twin == 64)
        #expect(twinErr.contains("looks like the existing user"))
        let entries = try rig.config.openDatabase().auditLog().filter { $0.event == "user.added" }
        #expect(entries.first?.actor == "cli:ops")
        await rig.stop()
    }
}

@Suite("files ThreadGuard creates are its owner's only")
struct FileModeTests {
    @Test("the poll lock, the database and its WAL and shared memory, and a poll's folder for the demo are 0600 and 0700")
    func modes() async throws {
        let rig = try await CLIRig.start("cli-modes")
        _ = try await rig.run(["poll", "--config", rig.configPath])
        // An open connection keeps the WAL and shared-memory files (the last one to close removes them).
        let database = try rig.config.openDatabase()
        try database.appendAudit(AuditEntry(at: Date(), actor: "test", event: "probe", itemID: nil))
        let lock = try #require(try PollLock.acquire(databasePath: rig.config.database))
        for file in [lock.path, rig.config.database, rig.config.database + "-wal", rig.config.database + "-shm"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0, "\(file) is \(String(mode, radix: 8))")
        }
        withExtendedLifetime((lock, database)) {}
        let workdir = try scratchFolder("demo-modes") + "/work"
        _ = try await rig.run(["demo", "--workdir", workdir])
        for folder in [workdir, workdir + "/db", workdir + "/audit"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0, "\(folder) is \(String(mode, radix: 8))")
        }
        await rig.stop()
    }
}
