import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardSandbox

/// The sandbox's fault switches on every platform, in that platform's own error shapes.
@Suite("platform faults on every platform", .serialized)
struct PlatformFaultTests {
    /// Platforms that report a request window: a refusal without Retry-After waits for the window's end.
    static let windowed: Set<Platform> = [.x, .reddit, .mastodon]

    @Test("a passing fault is retried and the poll stores everything", arguments: Platform.allCases)
    func passingFaults(platform: Platform) async throws {
        var passing: [SandboxFault] = [.rateLimit(retryAfter: 1), .serverError, .truncatedJSON, .htmlError]
        if !Self.windowed.contains(platform) { passing.append(.rateLimit(retryAfter: nil)) }
        for fault in passing {
            let rig = try await PlatformRig.start(platform, faults: [fault])
            let store = MemoryStore()
            try await rig.poll(store)
            #expect(store.count == rig.world.posts.count + rig.world.comments.count, "\(platform) under \(fault)")
            #expect(store.duplicates == 0)
            await rig.stop()
        }
    }

    @Test("a fault that does not pass ends the poll with a clear message; the next poll loses nothing", arguments: Platform.allCases)
    func lastingFaults(platform: Platform) async throws {
        let lasting: [([SandboxFault], String)] = [
            (Array(repeating: .serverError, count: 4), "temporary failure: HTTP 5"),
            (Array(repeating: .htmlError, count: 4), "(an HTML error page, not the API)"),
            ([.rateLimit(retryAfter: 3600)], "rate limited; retry after 3600 s"),
            // Reddit fetches a new token once by itself; the others need a person.
            (platform == .reddit ? [.expiredToken, .expiredToken] : [.expiredToken], "needs a new access token"),
        ] + (Self.windowed.contains(platform) ? [([SandboxFault.rateLimit(retryAfter: nil)], "rate limited; retry after")] : [])
        for (faults, message) in lasting {
            let rig = try await PlatformRig.start(platform, faults: faults)
            let store = MemoryStore()
            do {
                try await rig.poll(store)
                Issue.record("\(platform): the poll should have stopped under \(faults)")
            } catch let error as ConnectorError {
                #expect(error.description.contains(message), "\(platform): \(error.description)")
                #expect(!error.description.contains("sandbox-token"), "the token never appears in a message")
            }
            try await rig.nextRun().poll(store)
            #expect(store.count == rig.world.posts.count + rig.world.comments.count, "\(platform) after \(faults)")
            await rig.stop()
        }
    }

    @Test("slow answers still complete", arguments: [Platform.x, .reddit])
    func slow(platform: Platform) async throws {
        let rig = try await PlatformRig.start(platform)
        await rig.state.setDelay(milliseconds: 40)
        let store = MemoryStore()
        try await rig.poll(store)
        #expect(store.count == rig.world.posts.count + rig.world.comments.count)
        await rig.stop()
    }
}
