import ArgumentParser
import Foundation
import ThreadGuardStore
import ThreadGuardWorkflow
import ThreadGuardYAML

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Is ThreadGuard healthy? Sources, the queue, the outbox, alerts, the loaded policies and model.",
        discussion: """
            Reads the configuration and the database only (no platform is called): safe to run from monitoring every \
            minute. Exit codes: 0 healthy; 3 a person is needed (a source needs a token or keeps failing, a crisis item \
            waits, an adverse-event intake is overdue, an action or alert gave up, the policies or model are broken; \
            each is listed with what to do); 78 the configuration is invalid.
            """)

    @Option(help: "The configuration file.") var config: String = "threadguard.yaml"
    @Flag(help: "One JSON object (typed numbers, ISO 8601 times, ids sorted numerically).") var json = false

    func run() throws {
        let appConfig: AppConfig
        do { appConfig = try AppConfig.load(file: config) } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        let database = try AuditCommand.database(config)
        let report = try StatusReport.make(config: appConfig, database: database)
        if json {
            let data = try JSONSerialization.data(withJSONObject: StatusJSON.object(report), options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(StatusText.render(report))
        }
        if !report.healthy { throw ExitCode(ExitCodes.needsAttention) }
    }
}

/// `status` for people.
enum StatusText {
    static func render(_ report: StatusReport) -> String {
        let now = report.checkedAt
        var lines = [report.healthy ? "healthy" : "a person is needed:"]
        lines += report.needsPerson.map { "  - \($0)" }
        lines.append("")
        lines.append("sources:")
        for source in report.sources {
            let record = source.record
            var parts = ["\(record.name) (\(record.connector))\(source.configured ? "" : " [no longer configured]")"]
            parts.append("last success " + (record.lastSuccessAt.map { "\(StatusReport.age(now.timeIntervalSince($0))) ago" } ?? "never"))
            if let since = record.failingSince {
                parts.append("failing for \(StatusReport.age(now.timeIntervalSince(since))) (\(record.errorKind ?? "error")): \(record.lastError ?? "")")
            }
            parts.append("token \(source.tokenState)")
            if let moved = source.cursorMovedAt { parts.append("cursor moved \(StatusReport.age(now.timeIntervalSince(moved))) ago") }
            if let budget = source.budget { parts.append("API budget \(budget)") }
            lines.append("  " + parts.joined(separator: "; "))
        }
        let snapshot = report.snapshot
        let open = snapshot.queueByPriority.values.reduce(0, +)
        let byPriority = snapshot.queueByPriority.sorted { $0.key > $1.key }.map { "priority \($0.key): \($0.value)" }.joined(separator: ", ")
        lines.append("queue: \(open) open" + (byPriority.isEmpty ? "" : " (\(byPriority))"))
        if let oldest = snapshot.crisis.first {
            lines.append("crisis: \(snapshot.crisis.count) open, the oldest for \(StatusReport.age(now.timeIntervalSince(oldest.openedAt)))")
        }
        let outbox = ["pending", "sending", "draft", "dead"].map { "\($0) \(snapshot.outbox[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("outbox: \(outbox)")
        if let due = snapshot.intakes.map(\.dueAt).min() {
            lines.append("adverse-event intakes: \(snapshot.intakes.count) open, next due \(ISO8601DateFormatter().string(from: due))")
        }
        lines.append("alerts: " + ["pending", "sent", "dead"].map { "\($0) \(snapshot.alerts[$0] ?? 0)" }.joined(separator: ", "))
        lines.append("policies: \(report.policiesFolder) (\(report.policiesFingerprint ?? "unreadable"))")
        lines.append("model: " + (report.modelFile.map { "\($0) (\(report.modelFingerprint ?? "unreadable"))" } ?? "none (the rules alone)"))
        return lines.joined(separator: "\n")
    }
}

/// `status --json`.
enum StatusJSON {
    static func object(_ report: StatusReport) -> [String: Any] {
        let now = report.checkedAt
        func iso(_ date: Date?) -> Any { date.map { ISO8601DateFormatter().string(from: $0) } ?? NSNull() }
        func seconds(_ date: Date?) -> Any { date.map { Int(now.timeIntervalSince($0)) } ?? NSNull() }
        let snapshot = report.snapshot
        let sources: [[String: Any]] = report.sources.map { source in
            let record = source.record
            return [
                "name": record.name, "connector": record.connector, "configured": source.configured,
                "last_success_at": iso(record.lastSuccessAt), "last_polled_at": iso(record.lastPolledAt),
                "failing_since": iso(record.failingSince), "error_kind": record.errorKind ?? NSNull(), "last_error": record.lastError ?? NSNull(),
                "token": source.tokenState, "cursor_moved_at": iso(source.cursorMovedAt), "cursor_lag_seconds": seconds(source.cursorMovedAt),
                "api_budget": source.budget ?? NSNull(), "needs_person": source.needsPerson,
            ]
        }
        var byPriority: [String: Int] = [:]
        for (priority, count) in snapshot.queueByPriority { byPriority[String(priority)] = count }
        return [
            "healthy": report.healthy,
            "needs_person": report.needsPerson,
            "checked_at": iso(now),
            "sources": sources,
            "queue": [
                "open": snapshot.queueByPriority.values.reduce(0, +), "by_priority": byPriority,
                "crisis_open": snapshot.crisis.count, "crisis_item_ids": snapshot.crisis.map(\.itemID).sorted(),
                "oldest_crisis_age_seconds": seconds(snapshot.crisis.map(\.openedAt).min()),
            ] as [String: Any],
            "outbox": [
                "pending": snapshot.outbox["pending"] ?? 0, "sending": snapshot.outbox["sending"] ?? 0, "draft": snapshot.outbox["draft"] ?? 0,
                "dead": snapshot.outbox["dead"] ?? 0, "dead_letter_action_ids": snapshot.deadLetters.map(\.actionID).sorted(),
            ] as [String: Any],
            "adverse_events": [
                "open": snapshot.intakes.count, "intake_ids": snapshot.intakes.map(\.id).sorted(),
                "next_due_at": iso(snapshot.intakes.map(\.dueAt).min()), "overdue": snapshot.intakes.filter { $0.dueAt < now }.count,
            ] as [String: Any],
            "alerts": ["pending": snapshot.alerts["pending"] ?? 0, "sending": snapshot.alerts["sending"] ?? 0,
                       "sent": snapshot.alerts["sent"] ?? 0, "dead": snapshot.alerts["dead"] ?? 0],
            "policies": ["folder": report.policiesFolder, "fingerprint": report.policiesFingerprint ?? NSNull()] as [String: Any],
            "model": report.modelFile.map { ["file": $0, "fingerprint": report.modelFingerprint ?? NSNull()] as [String: Any] } ?? NSNull(),
            "warnings": report.judgeWarnings,
        ]
    }
}
