import Foundation
import ThreadGuardStore

/// A database of its own on the test server (`THREADGUARD_TEST_POSTGRES` and `THREADGUARD_TEST_POSTGRES_PASSWORD`; the
/// role may create databases), for the test targets. nil, after saying the test skipped, without a server, unless
/// THREADGUARD_REQUIRE_POSTGRES=1 (CI) makes that a failure (thrown).
public struct TestPostgresDatabase: Sendable {
    public struct Required: Error, CustomStringConvertible {
        public var description: String { "THREADGUARD_TEST_POSTGRES is required here (THREADGUARD_REQUIRE_POSTGRES=1)" }
    }

    /// The server's address as given, and the new database's address and location.
    public let address: String
    public let base: PostgresLocation
    public let location: PostgresLocation

    public var url: String {
        var components = URLComponents(string: address)!
        components.path = "/" + location.database
        return components.string!
    }

    public static func make(_ prefix: String) async throws -> TestPostgresDatabase? {
        let environment = ProcessInfo.processInfo.environment
        guard let address = environment["THREADGUARD_TEST_POSTGRES"] else {
            if environment["THREADGUARD_REQUIRE_POSTGRES"] == "1" { throw Required() }
            print("skipped: no PostgreSQL server for the tests (set THREADGUARD_TEST_POSTGRES; CI starts one)")
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
    public func drop() async {
        let name = location.database
        try? await PostgresStore.administer(base) { try await $0.execute("DROP DATABASE \(name) WITH (FORCE)") }
    }
}
