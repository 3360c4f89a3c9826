import Foundation
import GRDB

/// Copies the write-ahead log back into the database file from a thread and a connection of its own.
///
/// SQLite's automatic checkpoint runs inside whichever commit crosses the log's size limit, so the writer —
/// which every poll page and decision batch waits for — also waited for the checkpoint's disk flush. In the
/// ingest benchmark that was about 5 s of a 12 s poll stage. Here the writer's connections have automatic
/// checkpoints turned off, and this thread runs PASSIVE checkpoints, which never wait for (or block) readers
/// or the writer, a few times a second. When the last connection closes SQLite checkpoints on its own, so a
/// short command that exits leaves nothing behind that the next one cannot read.
final class WALCheckpointer: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    init(path: String, every interval: TimeInterval = 0.25) {
        Thread.detachNewThread { [self] in
            var configuration = Configuration()
            configuration.label = "threadguard-checkpoint"
            guard let connection = try? DatabaseQueue(path: path, configuration: configuration) else { return }
            while !isStopped {
                Thread.sleep(forTimeInterval: interval)
                // A busy answer (another checkpoint running) is fine: the next round catches up.
                _ = try? connection.inDatabase { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            }
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    func stop() { lock.withLock { stopped = true } }
}
