import Foundation
import Testing
import ThreadGuardPostgres

/// A database of its own on the test server (`THREADGUARD_TEST_POSTGRES` and `THREADGUARD_TEST_POSTGRES_PASSWORD`; the
/// role may create databases). nil, after saying the test skipped, without a server, unless
/// THREADGUARD_REQUIRE_POSTGRES=1 (CI) makes that a failure.
struct TestPostgresDatabase {
    /// The server's address as given, and the new database's address and location.
    let address: String
    let base: PostgresLocation
    let location: PostgresLocation

    var url: String {
        var components = URLComponents(string: address)!
        components.path = "/" + location.database
        return components.string!
    }

    static func make(_ prefix: String) async throws -> TestPostgresDatabase? {
        let environment = ProcessInfo.processInfo.environment
        guard let address = environment["THREADGUARD_TEST_POSTGRES"] else {
            if environment["THREADGUARD_REQUIRE_POSTGRES"] == "1" { Issue.record("THREADGUARD_TEST_POSTGRES is required here") } else {
                print("skipped: no PostgreSQL server for the tests (set THREADGUARD_TEST_POSTGRES; CI starts one)")
            }
            return nil
        }
        let base = try PostgresLocation.parse(address, passwordEnv: "THREADGUARD_TEST_POSTGRES_PASSWORD", environment: environment)
        var location = base
        location.database = prefix + "_" + UUID().uuidString.prefix(8).lowercased()
        let name = location.database
        try await PostgresStore.administer(base) { try await $0.execute("CREATE DATABASE \(name)") }
        return TestPostgresDatabase(address: address, base: base, location: location)
    }

    /// Cleanup only: a database left behind on the test server changes no result.
    func drop() async {
        let name = location.database
        try? await PostgresStore.administer(base) { try await $0.execute("DROP DATABASE \(name) WITH (FORCE)") }
    }
}
