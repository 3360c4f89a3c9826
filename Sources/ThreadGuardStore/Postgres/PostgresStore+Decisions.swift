import Foundation
import PostgresNIO
import ThreadGuardCore

extension PostgresStore {
    /// Records many decisions in one transaction (each with its findings, actions, review row, intake and audit
    /// entries), a few statements for the whole batch; returns how many were new. An item decided before (by this
    /// poller or another) keeps its decision and nothing else is written for it.
    public func recordDecisions(_ batch: [DecisionInput], at now: Date) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        return try wait { store in try await store.withAudit(lockLast: true) { connection in try await store.record(batch, at: now, on: connection) } }
    }

    private func record(_ batch: [DecisionInput], at now: Date, on connection: PostgresConnection) async throws -> (Int, [AuditEntry]) {
        let decisionRows = batch.map { input -> [CopyValue] in
            let (analysis, decision) = (input.analysis, input.decision)
            return [.int(input.itemID), .bool(analysis.phi), .real(analysis.score), .text(analysis.subject.rawValue),
                    .text(JSONList.encode(analysis.categories.map(\.rawValue))), .text(JSONList.encode(decision.actions.map(\.rawValue))),
                    .text(JSONList.encode(decision.rules)), .int(Int64(decision.priority)), .date(now),
                    .text(decision.shadowRules.isEmpty ? "[]" : JSONList.encode(decision.shadowRules)),
                    .text(decision.shadowActions.isEmpty ? "[]" : JSONList.encode(decision.shadowActions.map(\.rawValue)))]
        }
        var decisionIDs: [Int64: Int64] = [:]  // item → its new decision
        for row in try await insertRows(connection, into: "decision", columns: "itemID, phi, score, subject, categories, actions, rules, priority, decidedAt, shadowRules, shadowActions", decisionRows, then: "ON CONFLICT (itemID) DO NOTHING RETURNING id, itemID") {
            let (id, itemID) = try row.decode((Int64, Int64).self)
            decisionIDs[itemID] = id
        }
        let new = batch.filter { decisionIDs[$0.itemID] != nil }
        var findings: [[CopyValue]] = [], actions: [[CopyValue]] = [], reviews: [[CopyValue]] = []
        for input in new {
            let (itemID, analysis, decision) = (input.itemID, input.analysis, input.decision)
            let rules = JSONList.encode(decision.rules)
            for finding in analysis.findings {
                findings.append([.int(decisionIDs[itemID]!), .text(finding.type.rawValue), .int(Int64(finding.start)), .int(Int64(finding.end)),
                                 .real(finding.score), .text(finding.recognizer)])
            }
            for action in input.actions {
                let isReply = action.kind == .privateReply || action.kind == .publicReply
                actions.append([.int(itemID), .text(action.kind.rawValue), .text("\(itemID):\(action.kind.rawValue)"), .text(action.status.rawValue),
                                .of(action.payload), .text(rules), .date(now), .date(now), .of(action.note), .of(isReply ? decision.replyTemplate : nil)])
            }
            if !decision.actions.isEmpty {
                let categories = analysis.categories.map(\.rawValue)
                reviews.append([.int(itemID), .int(Int64(decision.priority)), .text(categories.first ?? (analysis.phi ? "phi" : "other")),
                                .text(JSONList.encode(categories)), .date(now), .date(now), .of(input.groupKey), .text(input.target.rawValue),
                                .of(input.dueAt)])
            }
        }
        _ = try await insertRows(connection, into: "finding", columns: "decisionID, type, start, \"end\", score, recognizer", findings)
        _ = try await insertRows(connection, into: "action", columns: "itemID, kind, idempotencyKey, status, payload, ruleIDs, createdAt, updatedAt, lastError, template", actions, then: "ON CONFLICT (idempotencyKey) DO NOTHING")
        _ = try await insertRows(connection, into: "review", columns: "itemID, status, priority, category, categories, openedAt, updatedAt, groupKey, target, dueAt",
                                 reviews.map { [$0[0], .text("open")] + $0[1...] }, then: "ON CONFLICT (itemID) DO NOTHING")
        let groups = Set(new.filter { !$0.decision.actions.isEmpty }.compactMap(\.groupKey))
        for sql in ReviewGroups.joinedSQL(groups, dialect: .postgres) { try await execute(PostgresQuery(unsafeSQL: sql), on: connection) }
        let opened = try await openIntakes(new.filter { $0.intake != nil }, at: now, on: connection)
        var entries: [AuditEntry] = []
        for input in new {
            let (itemID, analysis, decision) = (input.itemID, input.analysis, input.decision)
            if let intake = input.intake, opened.contains(itemID) {
                entries.append(AuditEntry(at: now, actor: "system", event: "adverse_event.opened", itemID: itemID, ruleIDs: decision.rules,
                                          after: "open", detail: "due in \(intake.dueDays) days"))
            }
            entries.append(AuditEntry(
                at: now, actor: "system", event: "decided", itemID: itemID, ruleIDs: decision.rules,
                after: JSONList.encode(decision.actions.map(\.rawValue)),
                detail: "phi=\(analysis.phi) findings=\(analysis.findings.filter { $0.type.isIdentifier }.map(\.type.rawValue).joined(separator: ","))"))
        }
        return (new.count, entries)
    }

    /// Opens the adverse-event intakes of newly decided items (once each); the items whose intake was stored.
    private func openIntakes(_ inputs: [DecisionInput], at now: Date, on connection: PostgresConnection) async throws -> Set<Int64> {
        guard !inputs.isEmpty else { return [] }
        let items = Dictionary(try await fetch(ItemRecord.self, "SELECT * FROM item WHERE id = ANY(\(inputs.map(\.itemID)))", on: connection)
            .map { ($0.id ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [[CopyValue]] = []
        for input in inputs {
            guard let intake = input.intake, let item = items[input.itemID] else { continue }
            rows.append([.int(input.itemID), .text(item.platform), .text(item.platformID), .of(item.permalink), .date(item.fetchedAt),
                         .date(item.fetchedAt.addingTimeInterval(TimeInterval(intake.dueDays * 86_400))), .text("open"), .bool(!item.authorID.isEmpty),
                         .text(item.authorName), .bool(intake.patientRelation != "none"), .text(intake.patientRelation),
                         .text(JSONList.encode(intake.products)), .text(JSONList.encode(intake.eventTerms)), .text(JSONList.encode(input.decision.rules)),
                         .date(now)])
        }
        _ = try await insertRows(connection, into: "adverse_event", columns: """
            itemID, platform, platformID, permalink, awareAt, dueAt, status, reporterIdentifiable, reporterHandle, patientIdentifiable, \
            patientRelation, suspectProducts, eventTerms, ruleIDs, createdAt
            """, rows, then: "ON CONFLICT (itemID) DO NOTHING")
        return Set(items.keys)
    }

    public func decision(itemID: Int64) throws -> DecisionRecord? {
        try wait { try await $0.fetch(DecisionRecord.self, "SELECT * FROM decision WHERE itemID = \(itemID)").first }
    }

    public func findings(decisionID: Int64) throws -> [FindingRecord] {
        try wait { try await $0.fetch(FindingRecord.self, "SELECT * FROM finding WHERE decisionID = \(decisionID) ORDER BY id") }
    }

    public func adverseEvents(status: String?) throws -> [AdverseEventRecord] {
        try wait { store in
            if let status { return try await store.fetch(AdverseEventRecord.self, "SELECT * FROM adverse_event WHERE status = \(status) ORDER BY awareAt") }
            return try await store.fetch(AdverseEventRecord.self, "SELECT * FROM adverse_event ORDER BY awareAt")
        }
    }
}
