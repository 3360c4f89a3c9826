import Foundation
import PostgresNIO
import ThreadGuardCore

extension PostgresStore {
    /// Records many decisions in one transaction (each with its findings, actions, review row, intake and audit
    /// entries), a few statements for the whole batch; returns how many were new. An item decided before (by this
    /// poller or another) keeps its decision and nothing else is written for it.
    public func recordDecisions(_ batch: [DecisionInput], at now: Date) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        return try wait { store in try await store.withAudit { connection in try await store.record(batch, at: now, on: connection) } }
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
        for row in try await insertRows(connection, """
            INSERT INTO decision (itemID, phi, score, subject, categories, actions, rules, priority, decidedAt, shadowRules, shadowActions) VALUES
            """, decisionRows, then: "ON CONFLICT (itemID) DO NOTHING RETURNING id, itemID") {
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
                                .text(JSONList.encode(categories)), .date(now), .date(now)])
            }
        }
        _ = try await insertRows(connection, "INSERT INTO finding (decisionID, type, start, \"end\", score, recognizer) VALUES", findings)
        _ = try await insertRows(connection, """
            INSERT INTO action (itemID, kind, idempotencyKey, status, payload, ruleIDs, createdAt, updatedAt, lastError, template) VALUES
            """, actions, then: "ON CONFLICT (idempotencyKey) DO NOTHING")
        _ = try await insertRows(connection, "INSERT INTO review (itemID, status, priority, category, categories, openedAt, updatedAt) VALUES",
                                 reviews.map { [$0[0], .text("open")] + $0[1...] }, then: "ON CONFLICT (itemID) DO NOTHING")
        var entries: [AuditEntry] = []
        for input in new {
            let (itemID, analysis, decision) = (input.itemID, input.analysis, input.decision)
            if let intake = input.intake, try await openIntake(intake, itemID: itemID, rules: decision.rules, at: now, on: connection) {
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

    /// Opens the adverse-event intake of an item (once); whether it was stored.
    private func openIntake(_ intake: AdverseEventIntake, itemID: Int64, rules: [String], at now: Date, on connection: PostgresConnection) async throws -> Bool {
        guard let item = try await fetch(ItemRecord.self, "SELECT * FROM item WHERE id = \(itemID)", on: connection).first else { return false }
        let due = item.fetchedAt.addingTimeInterval(TimeInterval(intake.dueDays * 86_400))
        try await execute("""
            INSERT INTO adverse_event (itemID, platform, platformID, permalink, awareAt, dueAt, status, reporterIdentifiable, reporterHandle,
                                       patientIdentifiable, patientRelation, suspectProducts, eventTerms, ruleIDs, createdAt)
            VALUES (\(itemID), \(item.platform), \(item.platformID), \(item.permalink), \(item.fetchedAt), \(due), 'open', \(!item.authorID.isEmpty),
                    \(item.authorName), \(intake.patientRelation != "none"), \(intake.patientRelation), \(JSONList.encode(intake.products)),
                    \(JSONList.encode(intake.eventTerms)), \(JSONList.encode(rules)), \(now))
            ON CONFLICT (itemID) DO NOTHING
            """, on: connection)
        return true
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
