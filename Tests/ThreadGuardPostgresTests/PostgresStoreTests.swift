import Foundation
import Logging
import Testing
import ThreadGuardCore
@testable import ThreadGuardStore

/// A schema of its own on the test server for each test (`THREADGUARD_TEST_POSTGRES`, a postgres:// address, and
/// `THREADGUARD_TEST_POSTGRES_PASSWORD`; `.ci/run` starts Debian's PostgreSQL and sets both). Without them the tests
/// say they skipped, unless THREADGUARD_REQUIRE_POSTGRES=1 (CI) makes that a failure.
struct TestSchema {
    let location: PostgresLocation
    let name: String
    static let logger = Logger(label: "pg-test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func make() async throws -> TestSchema? {
        let environment = ProcessInfo.processInfo.environment
        guard let address = environment["THREADGUARD_TEST_POSTGRES"] else {
            if environment["THREADGUARD_REQUIRE_POSTGRES"] == "1" {
                Issue.record("a PostgreSQL server is required here (THREADGUARD_REQUIRE_POSTGRES=1): set THREADGUARD_TEST_POSTGRES")
            } else {
                print("skipped: no PostgreSQL server for the tests (set THREADGUARD_TEST_POSTGRES; CI starts one)")
            }
            return nil
        }
        let location = try PostgresLocation.parse(address, passwordEnv: "THREADGUARD_TEST_POSTGRES_PASSWORD", environment: environment)
        let name = "tg_" + UUID().uuidString.prefix(8).lowercased()
        try await PostgresStore.administer(location) { try await $0.execute("CREATE SCHEMA \(name)") }
        return TestSchema(location: location, name: name)
    }

    func open() async throws -> PostgresStore { try await PostgresStore.open(location, logger: Self.logger, searchPath: name) }

    func drop() async throws {
        try await PostgresStore.administer(location) { try await $0.execute("DROP SCHEMA \(name) CASCADE") }
    }
}

func comment(_ n: Int, source: String = "fb") -> Item {
    Item(platform: .facebook, platformID: "p1_\(n)", kind: .comment, sourceName: source, threadRootID: "p1", parentID: "p1",
         authorID: "u\(n)", authorName: "User \(n)", text: "comment \(n)", createdAt: Date(), fetchedAt: Date(), permalink: nil)
}

@Suite("the PostgreSQL store on a real server", .serialized)
struct PostgresStoreTests {
    @Test("migrations run once however many processes start at the same moment")
    func migrations() async throws {
        guard let schema = try await TestSchema.make() else { return }
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<3 { group.addTask { try await schema.open() } }
            var all: [PostgresStore] = []
            for try await store in group { all.append(store) }
            return all
        }
        #expect(try await stores[0].appliedMigrations() == PostgresSchema.migrations.map(\.id))
        let again = try await schema.open()
        #expect(try await again.appliedMigrations() == PostgresSchema.migrations.map(\.id))
        for store in stores + [again] { store.close() }
        try await schema.drop()
    }

    @Test("the same page stored by two pollers at the same moment: every item once, the cursor with them")
    func storedOnce() async throws {
        guard let schema = try await TestSchema.make() else { return }
        let a = try await schema.open(), b = try await schema.open()
        try await a.registerSource(name: "fb", connector: "facebook", account: "1")
        let page = (0..<200).map { comment($0) }
        async let first = a.storePage(source: "fb", stream: "comments", items: page, cursor: "after-200")
        async let second = b.storePage(source: "fb", stream: "comments", items: page, cursor: "after-200")
        let (x, y) = try await (first, second)
        #expect(x.count + y.count == 200 && Set(x).isDisjoint(with: Set(y)), "each item is new to exactly one of them")
        #expect(try await a.itemCount() == 200)
        #expect(try await b.cursor(source: "fb", stream: "comments") == "after-200")
        a.close(); b.close()
        try await schema.drop()
    }

    @Test("three pollers leasing at the same moment: each source to one of them; a dead holder's lease runs out and is taken over")
    func leases() async throws {
        guard let schema = try await TestSchema.make() else { return }
        let store = try await schema.open()
        for n in 0..<12 { try await store.registerSource(name: "s\(n)", connector: "facebook", account: "\(n)") }
        let stores = [store, try await schema.open(), try await schema.open()]
        let taken = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (k, poller) in stores.enumerated() {
                group.addTask {
                    var mine: [String] = []
                    while let source = try await poller.leaseSource(owner: "poller-\(k)", seconds: 60) { mine.append(source) }
                    return (k, mine)
                }
            }
            var all = [[String]](repeating: [], count: stores.count)
            for try await (k, mine) in group { all[k] = mine }
            return all
        }
        let flat = taken.flatMap { $0 }
        #expect(flat.count == 12 && Set(flat).count == 12, "every source leased once: \(taken)")
        #expect(try await store.leaseSource(owner: "late", seconds: 60) == nil, "nothing left while the leases hold")
        // A holder that never comes back: its lease runs out.
        let held = try #require(taken.first { !$0.isEmpty }?.first)
        let owner = "poller-\(try #require(taken.firstIndex { $0.contains(held) }))"
        #expect(try await store.releaseSource(held, owner: "someone-else") == false, "only the holder releases")
        #expect(try await store.releaseSource(held, owner: owner))
        #expect(try await store.leaseSource(owner: "next", seconds: 0) == held)
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(try await store.leaseSource(owner: "after", seconds: 60) == held, "an expired lease is taken over")
        for s in stores { s.close() }
        try await schema.drop()
    }

    @Test("four executors claiming at the same moment: each action claimed once")
    func claims() async throws {
        guard let schema = try await TestSchema.make() else { return }
        let store = try await schema.open()
        try await store.registerSource(name: "fb", connector: "facebook", account: "1")
        let ids = try await store.storePage(source: "fb", stream: "c", items: (0..<60).map { comment($0) }, cursor: nil)
        for id in ids { try await store.queueAction(itemID: id, kind: "hide", idempotencyKey: "hide:\(id)") }
        #expect(try await store.queueAction(itemID: ids[0], kind: "hide", idempotencyKey: "hide:\(ids[0])") == nil, "queued once per key")
        let executors = [store, try await schema.open(), try await schema.open(), try await schema.open()]
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (k, executor) in executors.enumerated() {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await executor.claimActions(owner: "executor-\(k)", limit: 4)
                        if batch.isEmpty { return mine }
                        mine += batch
                    }
                }
            }
            var all: [[Int64]] = []
            for try await mine in group { all.append(mine) }
            return all
        }
        let flat = claimed.flatMap { $0 }
        #expect(flat.count == 60 && Set(flat).count == 60)
        for s in executors { s.close() }
        try await schema.drop()
    }

    @Test("addresses: a password in the address, a missing user or database, an unknown option are refused with what to do")
    func addresses() throws {
        let env = ["PW": "s3cret"]
        let ok = try PostgresLocation.parse("postgres://tg@db.example.org:6432/threadguard?sslmode=require", passwordEnv: "PW", environment: env)
        #expect(ok == PostgresLocation(host: "db.example.org", port: 6432, username: "tg", database: "threadguard", password: "s3cret", tls: .require))
        func problem(_ text: String, _ passwordEnv: String? = nil) -> String {
            do { _ = try PostgresLocation.parse(text, passwordEnv: passwordEnv, environment: env); return "" } catch { return "\(error)" }
        }
        #expect(problem("postgres://tg:hunter2@db/threadguard").contains("the address carries a password"))
        #expect(!problem("postgres://tg:hunter2@db/threadguard").contains("hunter2"))
        #expect(problem("postgres://db/threadguard").contains("names no user"))
        #expect(problem("postgres://tg@db/").contains("names no database"))
        #expect(problem("postgres://tg@db/x?sslmode=maybe").contains("sslmode takes disable, prefer, require"))
        #expect(problem("postgres://tg@db/x?timeout=3").contains("unknown option 'timeout'"))
        #expect(problem("postgres://tg@db/x", "MISSING").contains("MISSING (database_password_env) is not set"))
        #expect(PostgresLocation.isPostgres("postgresql://a@b/c") && !PostgresLocation.isPostgres("data/tg.sqlite"))
    }
}
