import Foundation
import GRDB
import Testing
import ThreadGuardCore
@testable import ThreadGuardStore

/// Poll pages from concurrent sources are committed in groups (`PageGroupWriter`); every page must still land
/// with its own cursor, and a page that cannot be stored must fail alone.
@Suite("page groups")
struct PageGroupTests {
    func item(_ source: String, _ id: String) -> Item {
        Item(platform: .facebook, platformID: "\(source)-\(id)", kind: .comment, sourceName: source, threadRootID: "post",
             parentID: "post", authorID: "u", authorName: "User", text: "hello", createdAt: Date(timeIntervalSince1970: 1_700_000_000),
             fetchedAt: Date(timeIntervalSince1970: 1_700_000_100), permalink: nil)
    }

    @Test("pages stored at once from many sources all land with their cursors; a bad page fails alone")
    func concurrentPages() async throws {
        let db = try temporaryDatabase()
        let sources = (0..<12).map { "src\($0)" }
        for source in sources { try db.registerSource(name: source, connector: "facebook", account: source) }
        // Each source stores five pages in order, as a poller does; all sources at once.
        let results = await withTaskGroup(of: (String, Int, Bool).self) { group in
            for source in sources {
                group.addTask {
                    var stored = 0
                    for page in 0..<5 {
                        let items = (0..<20).map { item(source, "\(page)-\($0)") }
                        stored += (try? await db.storePage(source: source, stream: "feed", items: items, cursor: "page\(page)"))?.count ?? 0
                    }
                    return (source, stored, true)
                }
            }
            // A page with an empty platform id breaks a CHECK constraint, and a source that was never registered
            // cannot hold a cursor: both must fail without taking their group down.
            group.addTask {
                let bad = [item("src0", "x"), Item(platform: .facebook, platformID: "", kind: .comment, sourceName: "src0", threadRootID: "post",
                                                   parentID: nil, authorID: "u", authorName: "User", text: "x", createdAt: Date(),
                                                   fetchedAt: Date(), permalink: nil)]
                let failed = (try? await db.storePage(source: "src0", stream: "other", items: bad, cursor: "never")) == nil
                return ("bad", 0, failed)
            }
            group.addTask {
                let failed = (try? await db.storePage(source: "unknown", stream: "feed", items: [item("unknown", "1")], cursor: "A")) == nil
                return ("unknown", 0, failed)
            }
            var all: [(String, Int, Bool)] = []
            for await result in group { all.append(result) }
            return all
        }
        for (source, stored, ok) in results {
            #expect(ok, "\(source)")
            if sources.contains(source) { #expect(stored == 100, "\(source)") }
        }
        let items = try db.allItems()
        #expect(items.count == 12 * 100)
        #expect(Set(items.map(\.platformID)).count == items.count)
        #expect(!items.contains { $0.platformID == "src0-x" || $0.sourceName == "unknown" })
        for source in sources { #expect(try db.cursor(source: source, stream: "feed") == "page4") }
        #expect(try db.cursor(source: "src0", stream: "other") == nil)
    }
}
