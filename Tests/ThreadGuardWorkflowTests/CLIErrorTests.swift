import Foundation
import Testing
import ThreadGuardStore
@testable import ThreadGuardWorkflow

/// What an operator meets when a command line or a configuration is wrong: the exact message and exit code.
@Suite("command-line errors an operator meets", .serialized)
struct CLIErrorTests {
    static let env = ["PATH": "/usr/bin:/bin", "USER": "ops"]

    @Test("--version, and a mistyped command at any depth answers with did-you-mean and exit 64")
    func versionAndSpelling() async throws {
        let (version, out, _) = try await runThreadguard(["--version"], environment: Self.env)
        #expect(version == 0 && out.hasPrefix("threadguard 0.") && out.contains("model format"))
        let (top, _, topErr) = try await runThreadguard(["pol"], environment: Self.env)
        #expect(top == 64)
        #expect(topErr.hasPrefix("Error: 'pol' is not a command of 'threadguard'. Did you mean 'poll'?\nCommands: ae, audit, backup,"), "\(topErr)")
        let (nested, _, nestedErr) = try await runThreadguard(["queue", "lst"], environment: Self.env)
        #expect(nested == 64)
        #expect(nestedErr == "Error: 'lst' is not a command of 'threadguard queue'. Did you mean 'list'?\nCommands: approve, dismiss, list, show, unhide. See 'threadguard queue --help'.\n")
        let (help, helpOut, _) = try await runThreadguard(["help", "queue"], environment: Self.env)
        #expect(help == 0 && helpOut.contains("Work the flagged queue"))
    }

    @Test("options with a fixed list of values refuse anything else with the list, and take any case")
    func choices() async throws {
        let rig = try await CLIRig.start("cli-choices")
        _ = try await rig.run(["poll", "--config", rig.configPath])
        let (platform, _, platformErr) = try await rig.run(["queue", "list", "--platform", "Facebok", "--config", rig.configPath])
        #expect(platform == 64)
        #expect(platformErr.hasPrefix("Error: The value 'Facebok' is invalid for '--platform <platform>'. Please provide one of the following:\n  - facebook\n  - instagram"), "\(platformErr)")
        let (upper, upperOut, _) = try await rig.run(["queue", "list", "--platform", "Facebook", "--config", rig.configPath])
        #expect(upper == 0 && !upperOut.hasPrefix("0 item(s)"), "--platform Facebook finds the Facebook items")
        let (status, _, statusErr) = try await rig.run(["queue", "list", "--status", "closed", "--config", rig.configPath])
        #expect(status == 64)
        #expect(statusErr.hasPrefix("Error: The value 'closed' is invalid for '--status <status>'. Please provide one of 'open', 'escalated', 'resolved', 'dismissed' or 'all'."), "\(statusErr)")
        let (category, _, categoryErr) = try await rig.run(["queue", "list", "--category", "phy", "--config", rig.configPath])
        #expect(category == 64 && categoryErr.contains("The value 'phy' is invalid for '--category <category>'"))
        let (level, _, levelErr) = try await rig.run(["poll", "--config", rig.configPath, "--log-level", "verbose"])
        #expect(level == 64 && levelErr.contains("The value 'verbose' is invalid for '--log-level <log-level>'"))
        let (info, _, infoErr) = try await rig.run(["poll", "--config", rig.configPath, "--log-level", "INFO"])
        #expect(info == 0 && infoErr.contains(" info threadguard.poll"), "INFO means info, not warning: \(infoErr)")
        let (intake, _, intakeErr) = try await rig.run(["ae", "export", "--status", "done", "--config", rig.configPath])
        #expect(intake == 64 && intakeErr.contains("Please provide one of 'open', 'reported' or 'closed'"))
        await rig.stop()
    }

    @Test("a connector name is checked when the configuration loads; a missing database folder is exit 78 with what to do")
    func configurationErrors() async throws {
        let folder = try scratchFolder("cli-config")
        let yaml = """
            database: \(folder)/no-such-folder/tg.sqlite
            policies: \(RepoFolders.policies)
            connectors: \(RepoFolders.connectors)
            sources:
              - {name: fb, connector: facebok, account: "1", token_env: FB}

            """
        try yaml.write(toFile: folder + "/threadguard.yaml", atomically: true, encoding: .utf8)
        let (code, _, err) = try await runThreadguard(["status", "--config", folder + "/threadguard.yaml"], environment: Self.env)
        #expect(code == 78)
        #expect(err == """
            threadguard: invalid configuration:
            \(folder)/threadguard.yaml:1:11: database: the database's folder \(folder)/no-such-folder does not exist (create it, readable by ThreadGuard's user only: install -d -m 0700 \(folder)/no-such-folder)
            \(folder)/threadguard.yaml:5:27: sources[0].connector: 'facebok' is not a connector in the connectors folder (did you mean 'facebook'? known: facebook, instagram, mastodon, reddit, x, youtube)

            """, "\(err)")
        let (poll, _, pollErr) = try await runThreadguard(["poll", "--config", folder + "/threadguard.yaml"], environment: Self.env)
        #expect(poll == 78 && pollErr == err, "poll says the same, not 'You don't have permission'")
    }

    @Test("a PostgreSQL address with a password, a missing password variable, a server that does not answer: each says what to fix")
    func postgresAddressErrors() async throws {
        let folder = try scratchFolder("cli-postgres")
        func write(_ database: String) throws {
            try """
                database: \(database)
                database_password_env: TG_DB_PASSWORD
                database_timeout: 3s
                policies: \(RepoFolders.policies)
                connectors: \(RepoFolders.connectors)
                sources: []

                """.write(toFile: folder + "/threadguard.yaml", atomically: true, encoding: .utf8)
        }
        try write("postgres://tg:secret@db.example/tg")
        let (inline, _, inlineErr) = try await runThreadguard(["status", "--config", folder + "/threadguard.yaml"], environment: Self.env)
        #expect(inline == 78)
        #expect(inlineErr.contains("threadguard.yaml:1:11: database: the address carries a password; remove it and name the variable that holds it with database_password_env"), "\(inlineErr)")
        #expect(!inlineErr.contains("secret"), "the password is never repeated")
        // Port 9 on loopback: nothing listens, the connection is refused; the command gives up within its deadline.
        try write("postgres://tg@127.0.0.1:9/tg?sslmode=disable")
        let (unset, _, unsetErr) = try await runThreadguard(["status", "--config", folder + "/threadguard.yaml"], environment: Self.env)
        #expect(unset == 3)
        #expect(unsetErr == "threadguard: cannot use the PostgreSQL database at postgres://tg@127.0.0.1:9/tg?sslmode=disable: the environment variable TG_DB_PASSWORD (database_password_env) is not set\n", "\(unsetErr)")
        let (down, _, downErr) = try await runThreadguard(["status", "--config", folder + "/threadguard.yaml"],
                                                          environment: Self.env.merging(["TG_DB_PASSWORD": "pw"]) { $1 })
        #expect(down == 3)
        #expect(downErr.contains("no answer from 127.0.0.1:9 within 3 s; check that the server runs there and accepts this user and password"), "\(downErr)")
        let (backup, _, backupErr) = try await runThreadguard(["backup", folder + "/b.sqlite", "--config", folder + "/threadguard.yaml"], environment: Self.env)
        #expect(backup == 3 && backupErr.contains("this command works on a SQLite database file"), "\(backupErr)")
    }

    @Test("policy commands use the configuration's policies folder, named with --config or found beside it")
    func policiesFromConfig() async throws {
        let folder = try scratchFolder("cli-policies")
        try FileManager.default.copyItem(atPath: RepoFolders.policies, toPath: folder + "/MyPolicies")
        try "rules: [{id: broken".write(toFile: folder + "/MyPolicies/rules.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        try "database: db/tg.sqlite\npolicies: MyPolicies\nconnectors: \(RepoFolders.connectors)\nsources: []\n"
            .write(toFile: folder + "/threadguard.yaml", atomically: true, encoding: .utf8)
        let (check, _, checkErr) = try await runThreadguard(["policy", "check", "--config", folder + "/threadguard.yaml"], environment: Self.env)
        #expect(check == 78 && checkErr.contains("problem(s) in \(folder)/MyPolicies"), "\(checkErr)")
        // Beside it (the working directory holds threadguard.yaml).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try threadguardBinary())
        process.arguments = ["policy", "test"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = Self.env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 78 && text.contains("MyPolicies/rules.yaml"), "\(text)")
        // A folder named on the command line still wins.
        let (named, namedOut, _) = try await runThreadguard(["policy", "check", RepoFolders.policies, "--config", folder + "/threadguard.yaml"], environment: Self.env)
        #expect(named == 0 && namedOut.contains("OK"))
    }

    @Test("user remove and reset-password: sessions end, the audit log names who did it, the last admin stays")
    func userLifecycle() async throws {
        let rig = try await CLIRig.start("cli-user-life")
        let add = ["user", "add", "--config", rig.configPath]
        #expect(try await rig.run(add + ["boss", "--role", "admin"], input: "quartz-meadow-falcon-81\n", environment: ["USER": "ops"]).0 == 0)
        #expect(try await rig.run(add + ["rita", "--role", "REVIEWER"], input: "quartz-meadow-falcon-82\n", environment: ["USER": "ops"]).0 == 0)
        let (role, _, roleErr) = try await rig.run(add + ["sam", "--role", "owner"], input: "quartz-meadow-falcon-83\n")
        #expect(role == 64 && roleErr.contains("Please provide one of 'reviewer', 'lead' or 'admin'"), "\(roleErr)")
        let database = try rig.config.openDatabase()
        try database.createSession(SessionRecord(tokenHash: "h1", userName: "rita", csrf: "c", createdAt: Date(), expiresAt: Date().addingTimeInterval(3600)))
        let (reset, resetOut, resetErr) = try await rig.run(["user", "reset-password", "rita", "--config", rig.configPath], input: "another-long-secret-99\n",
                                                            environment: ["USER": "ops"])
        #expect(reset == 0 && resetOut.contains("new password set for rita"), "\(resetErr)")
        #expect(try database.session(tokenHash: "h1") == nil, "her sessions are signed out")
        let (last, _, lastErr) = try await rig.run(["user", "remove", "boss", "--config", rig.configPath])
        #expect(last == 64 && lastErr.contains("'boss' is the last admin; add another admin first"))
        let (removed, _, _) = try await rig.run(["user", "remove", "rita", "--config", rig.configPath], environment: ["USER": "ops"])
        let ritaLeft = try database.user(named: "rita")
        #expect(removed == 0 && ritaLeft == nil)
        let (unknown, _, unknownErr) = try await rig.run(["user", "remove", "nobody", "--config", rig.configPath])
        #expect(unknown == 64 && unknownErr.contains("no user named 'nobody'"))
        let events = try database.auditLog().filter { $0.event.hasPrefix("user.") }.map { "\($0.event) \($0.actor)" }
        #expect(events.contains("user.password_reset cli:ops") && events.contains("user.removed cli:ops"), "\(events)")
        await rig.stop()
    }

    @Test("on a terminal, user add asks for the password twice and never shows it; two different answers change nothing")
    func passwordPrompt() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            print("skipped: no /usr/bin/python3 to drive a pseudo-terminal")
            return
        }
        let rig = try await CLIRig.start("cli-tty")
        func typed(_ name: String, _ first: String, _ second: String) async throws -> (Int32, String) {
            let (code, shown, _) = try await runThreadguard(
                [RepoFolders.root + "/Tests/support/tty_answers.py", "Password for=\(first)", "Again:=\(second)", "--",
                 try threadguardBinary(), "user", "add", name, "--role", "lead", "--config", rig.configPath],
                environment: rig.environment, executable: "/usr/bin/python3")
            return (code, shown)
        }
        let (ok, shown) = try await typed("tess", "quartz-meadow-falcon-77", "quartz-meadow-falcon-77")
        #expect(ok == 0 && shown.contains("Password for tess: ") && shown.contains("Again: ") && shown.contains("added tess as lead"), "\(shown)")
        #expect(!shown.contains("quartz-meadow-falcon-77"), "the terminal never shows the password")
        #expect(try rig.config.openDatabase().user(named: "tess")?.role == "lead")
        let (differ, differShown) = try await typed("uma", "quartz-meadow-falcon-78", "quartz-meadow-falcon-79")
        #expect(differ == 64 && differShown.contains("the two passwords differ; nothing was changed"))
        #expect(try rig.config.openDatabase().user(named: "uma") == nil)
        await rig.stop()
    }

    @Test("--json outputs parse, with typed numbers and ids in order")
    func jsonOutputs() async throws {
        let rig = try await CLIRig.start("cli-json")
        let (pollCode, pollOut, _) = try await rig.run(["poll", "--config", rig.configPath, "--json"])
        #expect(pollCode == 0)
        let poll = try JSONSerialization.jsonObject(with: Data(pollOut.utf8)) as? [String: Any]
        #expect((poll?["polled"] as? Int ?? 0) > 0 && poll?["needs_attention"] as? Bool == false)
        let (_, listOut, _) = try await rig.run(["queue", "list", "--json", "--status", "all", "--limit", "200", "--config", rig.configPath])
        let list = try JSONSerialization.jsonObject(with: Data(listOut.utf8)) as? [String: Any]
        let items = (list?["items"] as? [[String: Any]]) ?? []
        #expect(!items.isEmpty && items.allSatisfy { $0["item_id"] is Int && $0["priority"] is Int })
        let first = try #require(items.first?["item_id"] as? Int)
        let (_, showOut, _) = try await rig.run(["queue", "show", String(first), "--json", "--config", rig.configPath])
        let show = try JSONSerialization.jsonObject(with: Data(showOut.utf8)) as? [String: Any]
        #expect((show?["item"] as? [String: Any])?["item_id"] as? Int == first)
        #expect(show?["rules"] is [String])
        let (_, aeOut, _) = try await rig.run(["ae", "export", "--json", "--config", rig.configPath])
        let intakes = (try JSONSerialization.jsonObject(with: Data(aeOut.utf8)) as? [[String: Any]]) ?? []
        let ids = intakes.compactMap { $0["id"] as? Int }
        #expect(!ids.isEmpty && ids == ids.sorted() && intakes.allSatisfy { $0["complete"] is Bool && $0["event_terms"] is [String] })
        let (_, reportOut, _) = try await rig.run(["report", "consistency", "--json", "--config", rig.configPath])
        let report = try JSONSerialization.jsonObject(with: Data(reportOut.utf8)) as? [String: Any]
        #expect(report?["by_rule"] is [String: Any])
        let (testCode, testOut, _) = try await rig.run(["policy", "test", "--json", RepoFolders.policies])
        let test = try JSONSerialization.jsonObject(with: Data(testOut.utf8)) as? [String: Any]
        #expect(testCode == 0 && (test?["passed"] as? Int ?? 0) > 100 && test?["failed"] as? Int == 0)
        let (statusCode, statusOut, _) = try await rig.run(["status", "--json", "--config", rig.configPath])
        let status = try JSONSerialization.jsonObject(with: Data(statusOut.utf8)) as? [String: Any]
        #expect(status?["healthy"] as? Bool == (statusCode == 0))
        await rig.stop()
    }
}
