import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardTestSupport
@testable import ThreadGuardWorkflow

/// `threadguard migrate --to postgres://…` on a real server (a database of its own per test; the test role may create
/// databases: `.ci/run` grants it). Skipped with a message without a server, unless THREADGUARD_REQUIRE_POSTGRES=1.
@Suite("migrate SQLite to PostgreSQL", .serialized)
struct MigrateTests {
    @Test("a polled database is copied whole; counts match, the audit log is identical; a rerun copies nothing twice")
    func copyAndRerun() async throws {
        guard let database = try await TestPostgresDatabase.make("tg_migrate") else { return }
        let to = database.url
        let environment = ProcessInfo.processInfo.environment

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
        try await PostgresStore.administer(database.location) { try await $0.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_update") }
        try await PostgresStore.administer(database.location) { try await $0.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2") }
        let (tampered, _, tamperedErr) = try await rig.run(["migrate", "--to", to, "--password-env", "THREADGUARD_TEST_POSTGRES_PASSWORD", "--config", rig.configPath],
                                                           environment: env)
        #expect(tampered == 3 && tamperedErr.contains("audit row 2 differs between the two stores"), "\(tamperedErr)")
        let (badAddress, _, badErr) = try await rig.run(["migrate", "--to", "postgres://tg:pw@host/db", "--config", rig.configPath])
        #expect(badAddress == 78 && badErr.contains("the address carries a password") && !badErr.contains(":pw@"))
        await rig.stop()
        await database.drop()
    }
}
