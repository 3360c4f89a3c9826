import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardPostgres
import ThreadGuardStore
@testable import ThreadGuardWorkflow

/// `threadguard migrate --to postgres://…` on a real server (a database of its own per test; the test role may create
/// databases: `.ci/run` grants it). Skipped with a message without a server, unless THREADGUARD_REQUIRE_POSTGRES=1.
@Suite("migrate SQLite to PostgreSQL", .serialized)
struct MigrateTests {
    @Test("a polled database is copied whole; counts match, the audit log is identical; a rerun copies nothing twice")
    func copyAndRerun() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let address = environment["THREADGUARD_TEST_POSTGRES"] else {
            if environment["THREADGUARD_REQUIRE_POSTGRES"] == "1" { Issue.record("THREADGUARD_TEST_POSTGRES is required here") } else {
                print("skipped: no PostgreSQL server for the tests (set THREADGUARD_TEST_POSTGRES; CI starts one)")
            }
            return
        }
        let base = try PostgresLocation.parse(address, passwordEnv: "THREADGUARD_TEST_POSTGRES_PASSWORD", environment: environment)
        let name = "tg_migrate_" + UUID().uuidString.prefix(8).lowercased()
        try await PostgresStore.administer(base) { try await $0.execute("CREATE DATABASE \(name)") }
        var target = URLComponents(string: address)!
        target.path = "/" + name
        let to = target.string!

        let rig = try await CLIRig.start("migrate")
        _ = try await rig.run(["poll", "--config", rig.configPath])
        let env = ["THREADGUARD_TEST_POSTGRES_PASSWORD": environment["THREADGUARD_TEST_POSTGRES_PASSWORD"] ?? ""]
        let (code, out, err) = try await rig.run(["migrate", "--to", to, "--password-env", "THREADGUARD_TEST_POSTGRES_PASSWORD", "--config", rig.configPath],
                                                 environment: env)
        #expect(code == 0, "\(err)")
        #expect(out.contains("copied and checked"), "\(out)")
        let items = try rig.config.openDatabase().allItems().count
        #expect(items > 0 && out.contains("item: \(items) rows in SQLite, \(items) in PostgreSQL"))
        let (again, againOut, againErr) = try await rig.run(["migrate", "--to", to, "--password-env", "THREADGUARD_TEST_POSTGRES_PASSWORD", "--config", rig.configPath],
                                                            environment: env)
        #expect(again == 0 && againOut.contains("item: \(items) rows in SQLite, \(items) in PostgreSQL"), "\(againErr)")
        // A row changed in the copy is found.
        var location = base
        location.database = name
        try await PostgresStore.administer(location) { try await $0.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_update") }
        try await PostgresStore.administer(location) { try await $0.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2") }
        let (tampered, _, tamperedErr) = try await rig.run(["migrate", "--to", to, "--password-env", "THREADGUARD_TEST_POSTGRES_PASSWORD", "--config", rig.configPath],
                                                           environment: env)
        #expect(tampered == 3 && tamperedErr.contains("audit row 2 differs between the two stores"), "\(tamperedErr)")
        let (badAddress, _, badErr) = try await rig.run(["migrate", "--to", "postgres://tg:pw@host/db", "--config", rig.configPath])
        #expect(badAddress == 78 && badErr.contains("the address carries a password") && !badErr.contains(":pw@"))
        await rig.stop()
        // Cleanup only: a database left behind on the test server changes no result.
        try? await PostgresStore.administer(base) { try await $0.execute("DROP DATABASE \(name) WITH (FORCE)") }
    }
}
