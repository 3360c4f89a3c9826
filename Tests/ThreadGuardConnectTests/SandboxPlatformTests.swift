import Foundation
import Logging
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardSandbox

/// Cursors and items kept in memory as the store keeps them: an item once per id, a cursor with its page.
final class MemoryStore: @unchecked Sendable {
    private let lock = NSLock()
    private var cursors: [String: String] = [:]
    private var items: [String: Item] = [:]
    private var offeredThisPoll: Set<String> = []
    /// Items offered twice within one poll (a stream that re-reads, like a whole thread, offers them again on the
    /// next poll, and the store ignores those).
    private(set) var duplicates = 0

    func startPoll() { lock.withLock { offeredThisPoll = [] } }

    func cursor(_ stream: String) -> String? { lock.withLock { cursors[stream] } }

    func store(_ page: FetchedPage) {
        lock.withLock {
            for item in page.items {
                if !offeredThisPoll.insert(item.platformID).inserted { duplicates += 1 }
                if items[item.platformID] == nil { items[item.platformID] = item }
            }
            if let cursor = page.cursor { cursors[page.stream] = cursor }
        }
    }

    var all: [Item] { lock.withLock { Array(items.values) } }
    var count: Int { lock.withLock { items.count } }
}

enum Repo {
    static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }
}

func silent() -> Logger { Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }) }

/// A sandbox serving one platform's demo world and a connector pointed at it.
struct PlatformRig {
    let sandbox: SandboxServer
    let state: SandboxState
    var connector: any PlatformConnector
    let client: CurlHTTPClient
    let world: SandboxWorld
    let source: SourceConfig

    static let credential: [Platform: String] = [.reddit: "client:secret:moderator:hunter2"]

    static func start(_ platform: Platform, faults: [SandboxFault] = []) async throws -> PlatformRig {
        let world = SandboxWorld.demo(platform: platform)
        let state = SandboxState(world: world, token: "sandbox-token")
        await state.inject(faults)
        let sandbox = try await SandboxServer.start(state: state)
        let registry = try ConnectorRegistry(directory: Repo.root + "/Connectors")
        let prefix = platform == .facebook ? "" : "/\(platform.rawValue)"
        let source = SourceConfig(name: "\(platform.rawValue)-test", connector: platform.rawValue, account: world.accountID,
                                  baseURL: sandbox.baseURL + prefix, tokenEnv: "TOKEN")
        let client = CurlHTTPClient()
        let connector = try Self.connector(registry: registry, source: source, client: client, platform: platform)
        return PlatformRig(sandbox: sandbox, state: state, connector: connector, client: client, world: world, source: source)
    }

    static func connector(registry: ConnectorRegistry, source: SourceConfig, client: CurlHTTPClient, platform: Platform) throws -> any PlatformConnector {
        var connector = try registry.connector(for: source, http: client, environment: ["TOKEN": credential[platform] ?? "sandbox-token"], logger: silent())
        if var declarative = connector as? DeclarativeConnector {
            declarative.retry = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 5)
            connector = declarative
        }
        return connector
    }

    /// The same source in a new process, as the next cron run would see it (no memory of earlier waits).
    func nextRun() throws -> PlatformRig {
        let registry = try ConnectorRegistry(directory: Repo.root + "/Connectors")
        var copy = self
        copy.connector = try Self.connector(registry: registry, source: source, client: client, platform: world.platform)
        return copy
    }

    func stop() async {
        await sandbox.stop()
        client.shutdown()
    }

    func poll(_ store: MemoryStore) async throws {
        store.startPoll()
        try await connector.poll(cursor: { store.cursor($0) }, store: { store.store($0) })
    }
}

@Suite("every platform against its sandbox over loopback HTTP", .serialized)
struct SandboxPlatformTests {
    @Test("a poll stores every post, comment and reply once, with its thread", arguments: Platform.allCases)
    func pollsEverything(platform: Platform) async throws {
        let rig = try await PlatformRig.start(platform)
        let store = MemoryStore()
        try await rig.poll(store)
        let items = store.all
        let world = rig.world
        #expect(store.duplicates == 0)
        #expect(Set(items.map(\.platformID)) == Set(world.posts.map(\.id) + world.comments.map(\.id)))
        for comment in world.comments {
            let item = try #require(items.first { $0.platformID == comment.id })
            #expect(item.text == comment.message, "text of \(comment.id)")
            #expect(item.threadRootID == comment.postID)
            #expect(item.parentID == (comment.parentID ?? comment.postID), "parent of \(comment.id)")
            #expect(item.kind == (comment.parentID == nil ? .comment : .reply))
            #expect(item.authorID == comment.authorID)
            #expect(abs(item.createdAt.timeIntervalSince(comment.createdAt)) < 1.5)
        }
        let posts = items.filter { $0.kind == .post }
        #expect(posts.allSatisfy { $0.isBrand })
        // A second poll finds nothing new.
        try await rig.poll(store)
        #expect(store.count == world.posts.count + world.comments.count)
        await rig.stop()
    }

    @Test("a new comment is picked up by the next poll", arguments: Platform.allCases)
    func incremental(platform: Platform) async throws {
        let rig = try await PlatformRig.start(platform)
        let store = MemoryStore()
        try await rig.poll(store)
        let post = rig.world.posts[0]
        let id: String = switch platform {
        case .x: "1790000000999000000"
        case .mastodon: "113000000199000000"
        case .reddit: "t1_zzzzz"
        case .youtube: "UgzNewThreadAaABAg"
        default: "\(post.id)_new"
        }
        await rig.state.addComment(SandboxWorld.Comment(id: id, postID: post.id, parentID: nil, authorID: "2777000", authorName: "newcomer",
                                                        message: "Just joined, my pump arrived today", createdAt: Date()))
        try await rig.poll(store)
        #expect(store.all.contains { $0.platformID == id && $0.threadRootID == post.id })
        #expect(store.duplicates == 0)
        await rig.stop()
    }

    @Test("hide, public reply and private reply reach the platform as its API wants them", arguments: Platform.allCases)
    func actions(platform: Platform) async throws {
        let rig = try await PlatformRig.start(platform)
        let store = MemoryStore()
        try await rig.poll(store)
        let target = try #require(store.all.first { $0.kind == .reply && !$0.isBrand })
        _ = try await rig.connector.perform(PlatformAction(kind: .hide, item: target, text: nil))
        var log = await rig.state.actions
        // Mastodon cannot hide another account's reply: the manifest reports it to the moderators instead.
        #expect(log.contains { $0.kind == (platform == .mastodon ? "report" : "hide") && $0.target == target.platformID })

        _ = try await rig.connector.perform(PlatformAction(kind: .publicReply, item: target, text: "Please call us at 1-800-555-0100."))
        log = await rig.state.actions
        #expect(log.contains { $0.kind == "public_reply" && $0.text?.contains("1-800-555-0100") == true })

        if platform == .youtube {
            // YouTube has no private messages.
            await #expect(throws: ConnectorError.self) {
                _ = try await rig.connector.perform(PlatformAction(kind: .privateReply, item: target, text: "Hello"))
            }
        } else {
            let check = PlatformAction(kind: .privateReply, item: target, text: "Please send us a private message.")
            _ = try await rig.connector.perform(check)
            log = await rig.state.actions
            #expect(log.contains { $0.kind == "private_reply" && $0.text?.contains("Please send us a private message.") == true })
            if let done = try await rig.connector.alreadyDone(check) { #expect(done) }
        }
        await rig.stop()
    }
}

