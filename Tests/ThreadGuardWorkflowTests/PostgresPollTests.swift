import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardStore
import ThreadGuardTestSupport
import ThreadGuardSandbox
@testable import ThreadGuardWorkflow

/// Polling into one PostgreSQL database from several pollers at once, each source leased to one of them.
@Suite("pollers sharing one PostgreSQL database", .serialized)
struct PostgresPollTests {
    @Test("three pollers lease the six sandbox platforms' sources at the same moment: each source polled by one, every comment stored once; a second round stores nothing")
    func threePollers() async throws {
        guard let database = try await TestPostgresDatabase.make("tg_poll") else { return }
        let location = database.location

        let worlds = Platform.allCases.map { SandboxWorld.demo(platform: $0) }
        let state = SandboxState(worlds: worlds, token: "pg-token")
        await state.setDelay(milliseconds: 5)
        let sandbox = try await SandboxServer.start(state: state)
        let sources = worlds.map { world in
            SourceConfig(name: world.platform.rawValue, connector: world.platform.rawValue, account: world.accountID,
                         baseURL: sandbox.baseURL + (world.platform == .facebook ? "" : "/\(world.platform.rawValue)"),
                         tokenEnv: world.platform == .reddit ? "PG_REDDIT" : "PG_TOKEN")
        }
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        let (connectors, failures) = try ConnectorRegistry(directory: RepoFolders.connectors)
            .connectors(for: sources, http: http, environment: ["PG_TOKEN": "pg-token", "PG_REDDIT": "app:secret:mod:pw"], logger: LogCapture().logger())
        #expect(failures.isEmpty && connectors.count == 6)
        let setup = try await PostgresStore.open(location, logger: LogCapture().logger())
        for source in sources { try await setup.registerSource(name: source.name, connector: source.connector, account: source.account) }

        func round() async throws -> [[String]] {
            let pass = try await setup.serverNow()
            return try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
                for k in 0..<3 {
                    group.addTask {
                        let store = try await PostgresStore.open(location, logger: LogCapture().logger())
                        defer { store.close() }
                        let poller = Poller(database: store, logger: LogCapture().logger())
                        var mine: [String] = []
                        while let name = try await store.leaseSource(owner: "poller-\(k)", seconds: 120, notPolledSince: pass) {
                            let result = await poller.poll(try #require(connectors[name]))
                            #expect(result.error == nil, "\(name): \(String(describing: result.error))")
                            try await store.releaseSource(name, owner: "poller-\(k)")
                            mine.append(name)
                        }
                        return (k, mine)
                    }
                }
                var all = [[String]](repeating: [], count: 3)
                for try await (k, mine) in group { all[k] = mine }
                return all
            }
        }
        let first = try await round()
        #expect(first.flatMap { $0 }.sorted() == sources.map(\.name).sorted(), "each source polled by exactly one poller: \(first)")
        let expected = worlds.reduce(0) { $0 + $1.posts.count + $1.comments.count }
        let items = StoreTables.all.first { $0.name == "item" }!
        #expect(try await setup.rowCount(items) == expected, "every post and comment stored once")
        let cursors = StoreTables.all.first { $0.name == "cursor" }!
        #expect(try await setup.rowCount(cursors) >= 6, "each source's cursors stored with its pages")
        let second = try await round()
        #expect(second.flatMap { $0 }.count == 6)
        #expect(try await setup.rowCount(items) == expected, "the second round stores nothing again")
        setup.close()
        await sandbox.stop()
        await database.drop()
    }
}
