import Foundation
import PostgresNIO
import ThreadGuardCore

extension PostgresStore {
    // MARK: Alerts

    public func enqueueAlerts(_ alerts: [NewAlert], at now: Date) throws -> Int {
        guard !alerts.isEmpty else { return 0 }
        return try wait { store in
            try await store.transaction { connection in
                try await store.insertRows(connection, into: "alert", columns: "key, channel, kind, payload, status, attempts, createdAt, updatedAt",
                                           alerts.map { [.text($0.key), .text($0.channel), .text($0.kind), .text($0.payload), .text("pending"), .int(0),
                                                         .date(now), .date(now)] },
                                           then: "ON CONFLICT (key) DO NOTHING RETURNING id").count
            }
        }
    }

    public func alertedSubjects(channel: String) throws -> Set<String> {
        try wait { store in
            var subjects: Set<String> = []
            for try await key in try await store.client.query("SELECT key FROM alert WHERE channel = \(channel)", logger: store.logger).decode(String.self) {
                subjects.insert(String(key.dropFirst(channel.count + 1)))
            }
            return subjects
        }
    }

    /// As the SQLite store's, with the rows taken by one process at a time (`FOR UPDATE SKIP LOCKED`).
    public func claimAlerts(owner: String, limit: Int, staleAfter: TimeInterval, at now: Date) throws -> [AlertRecord] {
        let stale = now.addingTimeInterval(-staleAfter)
        return try wait { try await $0.fetch(AlertRecord.self, """
            UPDATE alert SET status = 'sending', owner = \(owner), attempts = attempts + 1, updatedAt = \(now)
            WHERE id IN (SELECT id FROM alert WHERE status = 'pending' OR (status = 'sending' AND updatedAt < \(stale))
                         ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).sorted { $0.id < $1.id } }
    }

    public func finishAlert(id: Int64, owner: String, error: String?, maxAttempts: Int, at now: Date) throws {
        _ = try wait { store in
            try await store.client.query("""
                UPDATE alert SET status = CASE WHEN \(error)::text IS NULL THEN 'sent' WHEN attempts >= \(maxAttempts) THEN 'dead' ELSE 'pending' END,
                                 lastError = \(error), updatedAt = \(now)
                WHERE id = \(id) AND owner = \(owner) AND status = 'sending'
                """, logger: store.logger)
        }
    }

    public func alerts() throws -> [AlertRecord] {
        try wait { try await $0.fetch(AlertRecord.self, "SELECT * FROM alert ORDER BY id") }
    }

    // MARK: Metrics and health

    public func addMetrics(_ deltas: [StoredMetric]) throws {
        guard !deltas.isEmpty else { return }
        // One row per series in a statement (ON CONFLICT cannot touch a row twice in one statement).
        var merged: [String: StoredMetric] = [:]
        for delta in deltas { merged["\(delta.name){\(delta.labels)}", default: StoredMetric(name: delta.name, labels: delta.labels, value: 0)].value += delta.value }
        let rows = merged.keys.sorted().map { key -> [CopyValue] in let m = merged[key]!; return [.text(m.name), .text(m.labels), .real(m.value)] }
        try wait { store in
            try await store.transaction { connection in
                _ = try await store.insertRows(connection, into: "metric", columns: "name, labels, value", rows,
                                               then: "ON CONFLICT (name, labels) DO UPDATE SET value = metric.value + excluded.value")
            }
        }
    }

    public func storedMetrics() throws -> [StoredMetric] {
        try wait { store in
            var metrics: [StoredMetric] = []
            for try await (name, labels, value) in try await store.client.query("SELECT name, labels, value FROM metric ORDER BY name, labels",
                                                                                logger: store.logger).decode((String, String, Double).self) {
                metrics.append(StoredMetric(name: name, labels: labels, value: value))
            }
            return metrics
        }
    }

    public func counts() throws -> (items: Int, auditRows: Int64) {
        try wait { store in
            let row = try await store.rows("SELECT (SELECT count(*) FROM item) AS items, (SELECT max(id) FROM audit) AS last").first
            return (Int(try row?.value("items", as: Int64.self) ?? 0), try row?.value("last", as: Int64.self) ?? 0)
        }
    }

    public func answers() -> Bool {
        (try? wait { store in try await store.rows("SELECT 1 AS one").count }) == 1
    }

    // MARK: Operations

    public func operationsSnapshot() throws -> OperationsSnapshot {
        try wait { store in
            // One snapshot of the whole database, as the SQLite store's read transaction gives.
            try await store.transaction { connection in
                try await store.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", on: connection)
                var snapshot = OperationsSnapshot()
                for row in try await store.rows("SELECT priority, count(*) AS n FROM review WHERE status IN ('open', 'escalated') GROUP BY priority", on: connection) {
                    snapshot.queueByPriority[Int(try row.value("priority", as: Int32.self) ?? 0)] = Int(try row.value("n", as: Int64.self) ?? 0)
                }
                for row in try await store.rows("SELECT status, count(*) AS n FROM action GROUP BY status", on: connection) {
                    snapshot.outbox[try row.value("status") ?? ""] = Int(try row.value("n", as: Int64.self) ?? 0)
                }
                for row in try await store.rows(PostgresQuery(unsafeSQL: SharedSQL.crisisItems), on: connection) {
                    snapshot.crisis.append(CrisisItem(
                        itemID: try row.value("id") ?? 0, platform: try row.value("platform") ?? "", sourceName: try row.value("sourcename") ?? "",
                        categories: JSONList.decode(try row.value("categories") ?? ""), ruleIDs: JSONList.decode(try row.value("ruleids") ?? ""),
                        priority: Int(try row.value("priority", as: Int32.self) ?? 0), openedAt: try row.value("openedat") ?? Date()))
                }
                for row in try await store.rows("SELECT id, itemID, platform, awareAt, dueAt FROM adverse_event WHERE status = 'open' ORDER BY id", on: connection) {
                    snapshot.intakes.append(OpenIntake(id: try row.value("id") ?? 0, itemID: try row.value("itemid") ?? 0, platform: try row.value("platform") ?? "",
                                                       awareAt: try row.value("awareat") ?? Date(), dueAt: try row.value("dueat") ?? Date()))
                }
                for row in try await store.rows("SELECT id, itemID, kind, updatedAt FROM action WHERE status = 'dead' ORDER BY id", on: connection) {
                    snapshot.deadLetters.append(DeadLetter(actionID: try row.value("id") ?? 0, itemID: try row.value("itemid") ?? 0,
                                                           kind: try row.value("kind") ?? "", updatedAt: try row.value("updatedat") ?? Date()))
                }
                for row in try await store.rows("SELECT sourceName, max(updatedAt) AS moved FROM cursor GROUP BY sourceName", on: connection) {
                    snapshot.cursorMovedAt[try row.value("sourcename") ?? ""] = try row.value("moved", as: Date.self)
                }
                for row in try await store.rows("SELECT status, count(*) AS n FROM alert GROUP BY status", on: connection) {
                    snapshot.alerts[try row.value("status") ?? ""] = Int(try row.value("n", as: Int64.self) ?? 0)
                }
                return snapshot
            }
        }
    }

    public func shadowOutcomes(rule: String?, limit: Int) throws -> [ShadowOutcome] {
        let limit = max(1, min(limit, 10_000))
        return try wait { store in
            let query: PostgresQuery = """
                SELECT d.itemID, i.platform, d.shadowRules, d.shadowActions, d.decidedAt, r.status AS reviewStatus
                FROM decision d JOIN item i ON i.id = d.itemID LEFT JOIN review r ON r.itemID = d.itemID
                WHERE d.shadowRules != '[]' AND (\(rule)::text IS NULL OR d.shadowRules::jsonb ? \(rule ?? ""))
                ORDER BY d.itemID DESC LIMIT \(limit)
                """
            return try await store.rows(query).map { row in
                ShadowOutcome(itemID: try row.value("itemid") ?? 0, platform: try row.value("platform") ?? "",
                              rules: JSONList.decode(try row.value("shadowrules") ?? ""), wouldHave: JSONList.decode(try row.value("shadowactions") ?? ""),
                              reviewStatus: try row.value("reviewstatus"), decidedAt: try row.value("decidedat") ?? Date())
            }
        }
    }
}
