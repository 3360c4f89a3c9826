import Foundation
import GRDB

/// One stored series: a counter, or one part of a histogram (`…_bucket` with its `le` label, `…_sum`, `…_count`).
/// `labels` is the Prometheus label text, `a="1",b="2"`, keys sorted.
public struct StoredMetric: Sendable, Equatable {
    public var name: String
    public var labels: String
    public var value: Double

    public init(name: String, labels: String, value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}

extension ThreadGuardDatabase {
    /// Adds each delta to its series (created at 0), all in one transaction: counters and histograms add up across
    /// every process and run that writes this database.
    public func addMetrics(_ deltas: [StoredMetric]) throws {
        guard !deltas.isEmpty else { return }
        try pool.write { db in
            for delta in deltas {
                try db.execute(sql: """
                    INSERT INTO metric (name, labels, value) VALUES (?, ?, ?)
                    ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value
                    """, arguments: [delta.name, delta.labels, delta.value])
            }
        }
    }

    public func storedMetrics() throws -> [StoredMetric] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, labels, value FROM metric ORDER BY name, labels").map {
                StoredMetric(name: $0["name"], labels: $0["labels"], value: $0["value"])
            }
        }
    }

    /// How many items and the last audit row id (a backup's summary).
    public func counts() throws -> (items: Int, auditRows: Int64) {
        try pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") ?? 0, try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM audit") ?? 0)
        }
    }

    /// Whether the database answers a read (for `/healthz`).
    public func answers() -> Bool {
        (try? pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
