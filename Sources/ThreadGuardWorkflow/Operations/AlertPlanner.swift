import Foundation
import ThreadGuardStore

/// Decides which alerts are due: crisis items waiting for a person, new adverse-event intakes, sources a person must
/// mend, and actions that gave up. Each subject is named so that it is alerted once per channel (a source once per
/// run of failures).
public struct AlertPlanner: Sendable {
    public let settings: AlertSettings
    public let failureWindow: TimeInterval

    public init(settings: AlertSettings, failureWindow: TimeInterval) {
        self.settings = settings
        self.failureWindow = failureWindow
    }

    /// The messages due now, by subject.
    public func due(snapshot: OperationsSnapshot, sources: [SourceRecord], now: Date = Date()) -> [(subject: String, message: AlertMessage)] {
        var due: [(String, AlertMessage)] = []
        for item in snapshot.crisis {
            due.append(("crisis:item:\(item.itemID)", AlertMessage(
                kind: "crisis", title: "Crisis item \(item.itemID) is waiting for a person",
                lines: ["Item \(item.itemID) on \(item.platform) (source \(item.sourceName)), priority \(item.priority)",
                        "Categories: \(list(item.categories))", "Rules: \(list(item.ruleIDs))",
                        "Waiting since \(Self.iso(item.openedAt))"],
                fields: ["item_id": "\(item.itemID)", "platform": item.platform, "source": item.sourceName, "priority": "\(item.priority)",
                         "categories": item.categories.joined(separator: ","), "rules": item.ruleIDs.joined(separator: ","),
                         "waiting_since": Self.iso(item.openedAt)],
                link: itemLink(item.itemID))))
        }
        for intake in snapshot.intakes {
            due.append(("adverse_event:\(intake.id)", AlertMessage(
                kind: "adverse_event", title: "New adverse-event intake \(intake.id), due \(Self.day(intake.dueAt))",
                lines: ["Intake \(intake.id) for item \(intake.itemID) on \(intake.platform)",
                        "Aware since \(Self.iso(intake.awareAt)); report due \(Self.iso(intake.dueAt))"],
                fields: ["intake_id": "\(intake.id)", "item_id": "\(intake.itemID)", "platform": intake.platform,
                         "aware_at": Self.iso(intake.awareAt), "due_at": Self.iso(intake.dueAt)],
                link: itemLink(intake.itemID))))
        }
        for source in sources where source.needsPerson(window: failureWindow, now: now) {
            let since = source.failingSince ?? source.lastPolledAt ?? now
            let reason = Self.reason(source, now: now)
            due.append(("source:\(source.name):\(Int64(since.timeIntervalSince1970 * 1000))", AlertMessage(
                kind: "source", title: "Source '\(source.name)' \(reason.title)",
                lines: ["Source \(source.name) (connector \(source.connector)) \(reason.title) since \(Self.iso(since))", reason.todo],
                fields: ["source": source.name, "connector": source.connector, "reason": source.needsToken ? "needs_new_token" : (source.errorKind ?? "failing"),
                         "failing_since": Self.iso(since)],
                link: settings.link.map { "\($0)/dashboard" })))
        }
        for dead in snapshot.deadLetters {
            due.append(("dead_letter:action:\(dead.actionID)", AlertMessage(
                kind: "dead_letter", title: "Action \(dead.actionID) (\(dead.kind)) on item \(dead.itemID) gave up",
                lines: ["The \(dead.kind) of item \(dead.itemID) failed every retry (last at \(Self.iso(dead.updatedAt)))",
                        "Open the item to retry or carry it out by hand."],
                fields: ["action_id": "\(dead.actionID)", "item_id": "\(dead.itemID)", "action": dead.kind],
                link: itemLink(dead.itemID))))
        }
        return due
    }

    private func itemLink(_ id: Int64) -> String? { settings.link.map { "\($0)/items/\(id)" } }
    private func list(_ values: [String]) -> String { values.isEmpty ? "none" : values.joined(separator: ", ") }

    static func reason(_ source: SourceRecord, now: Date) -> (title: String, todo: String) {
        if source.needsToken {
            return ("needs a new access token", "Put a fresh token in the source's environment variable; the next poll picks it up.")
        }
        if let kind = source.errorKind, !["temporary", "rate_limited"].contains(kind) {
            return ("fails and retrying will not help (\(kind))", "Check the account, its permissions and the connector; `threadguard status` shows the reason.")
        }
        let minutes = Int(now.timeIntervalSince(source.failingSince ?? now) / 60)
        return ("keeps failing (\(minutes) min)", "Check the network and the platform's status; `threadguard status` shows the last reason.")
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
