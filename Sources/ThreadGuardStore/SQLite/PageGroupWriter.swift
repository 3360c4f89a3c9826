import Foundation
import GRDB
import ThreadGuardCore

/// One page of a source's stream and the cursor that covers it.
struct PageWrite: Sendable {
    var source: String
    var stream: String
    var items: [Item]
    var cursor: String?
    var at: Date
}

/// Group commit for poll pages: pages that arrive while the writer is busy (with another group, or a batch of
/// decisions) are stored together in one transaction when it is free.
///
/// Every page still lands with its cursor: a group commits whole or not at all, and a cursor is never ahead of
/// its items. Each commit costs a write of every page it dirtied to the log, so one commit for the eight pages
/// that queued up costs far less than eight. If a group fails, its pages are retried one by one, so one bad
/// page fails alone.
actor PageGroupWriter {
    private let pool: DatabasePool
    private var waiting: [(page: PageWrite, done: CheckedContinuation<[Int64], Error>)] = []
    private var draining = false

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func store(_ page: PageWrite) async throws -> [Int64] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((page, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let group = waiting
            waiting = []
            let pages = group.map(\.page)
            do {
                let ids = try await pool.write { db in try pages.map { try ThreadGuardDatabase.insertPage(db, $0) } }
                for (entry, newIDs) in zip(group, ids) { entry.done.resume(returning: newIDs) }
            } catch {
                for entry in group {
                    let page = entry.page
                    do {
                        entry.done.resume(returning: try await pool.write { db in try ThreadGuardDatabase.insertPage(db, page) })
                    } catch {
                        entry.done.resume(throwing: error)
                    }
                }
            }
        }
        draining = false
    }
}
