import Foundation
import Testing
import ThreadGuardCore
@testable import ThreadGuardStore

@Suite("write-ahead log")
struct CheckpointTests {
    /// Commits no longer copy the log back themselves; the checkpoint thread must, while the store stays open.
    @Test("the log is copied into the database file while the store is open")
    func checkpointsInTheBackground() async throws {
        let db = try temporaryDatabase()
        let file = db.path
        try db.registerSource(name: "src", connector: "facebook", account: "1")
        let before = try fileSize(file)
        for page in 0..<4 {
            let items = (0..<500).map { makeItem("p\(page)-\($0)", text: String(repeating: "words of a comment ", count: 8)) }
            try await db.storePage(source: "src", stream: "comments", items: items, cursor: "c\(page)")
        }
        var grew = false
        for _ in 0..<40 where !grew {
            try await Task.sleep(nanoseconds: 100_000_000)
            grew = try fileSize(file) > before + 200_000
        }
        let size = try fileSize(file)
        #expect(grew, "the database file stayed at \(size) bytes")
        #expect(try db.allItems().count == 2_000)
    }

    func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
