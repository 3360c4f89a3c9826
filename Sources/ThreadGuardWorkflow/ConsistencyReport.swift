import Foundation
import ThreadGuardCore
import ThreadGuardStore

/// How items were handled, per rule and per category, so the brand answers alike: automated or human, which
/// template, how often reversed, how fast, and similar items (same rules fired) handled differently.
public struct ConsistencyReport: Sendable {
    public struct Group: Sendable {
        public var key: String
        public var items = 0
        public var automated = 0
        public var human = 0
        public var templates: [String: Int] = [:]
        public var reversed = 0
        public var secondsToAction: [Double] = []
        public var medianSecondsToAction: Double? {
            guard !secondsToAction.isEmpty else { return nil }
            let sorted = secondsToAction.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    /// Items whose rules were the same but whose handling differed.
    public struct Divergence: Sendable {
        public var rules: [String]
        /// handling (e.g. "hide:done,private_reply:draft") → item ids
        public var handlings: [String: [Int64]]
    }

    public var byRule: [String: Group] = [:]
    public var byCategory: [String: Group] = [:]
    public var divergences: [Divergence] = []
    /// Shadow rule → the items it would have fired on when they were decided, and the actions it would have added.
    public var shadow: [String: (items: [Int64], wouldHave: [String: Int])] = [:]

    public static func build(database: any Store) throws -> ConsistencyReport {
        var report = ConsistencyReport()
        let audit = try database.auditLog()
        let actorsByItem = Dictionary(grouping: audit.filter { $0.itemID != nil && $0.event != "decided" }, by: { $0.itemID! })
        var bySignature: [String: [String: [Int64]]] = [:]
        for item in try database.allItems() where !item.isBrand {
            guard let id = item.id, let decision = try database.decision(itemID: id) else { continue }
            let rules = decode(decision.rules), categories = decode(decision.categories)
            for rule in decode(decision.shadowRules) {
                report.shadow[rule, default: ([], [:])].items.append(id)
                for action in decode(decision.shadowActions) { report.shadow[rule, default: ([], [:])].wouldHave[action, default: 0] += 1 }
            }
            guard !rules.isEmpty else { continue }
            let actions = try database.actions(itemID: id)
            let entries = actorsByItem[id] ?? []
            let human = entries.contains { !["system", "executor", "executor.reconcile", "poll"].contains($0.actor) }
            let reversed = actions.contains { $0.kind == "hide" && $0.status == "done" } && actions.contains { $0.kind == "unhide" && $0.status == "done" }
            let firstDone = actions.filter { $0.status == ActionStatus.done.rawValue }.map(\.updatedAt).min()
            let templates = actions.compactMap(\.template)
            func update(_ group: inout Group) {
                group.items += 1
                if human { group.human += 1 } else { group.automated += 1 }
                for t in templates { group.templates[t, default: 0] += 1 }
                if reversed { group.reversed += 1 }
                if let firstDone { group.secondsToAction.append(firstDone.timeIntervalSince(item.fetchedAt)) }
            }
            for rule in rules { update(&report.byRule[rule, default: Group(key: rule)]) }
            for category in categories { update(&report.byCategory[category, default: Group(key: category)]) }
            let handling = actions.filter { ["hide", "unhide", "private_reply", "public_reply"].contains($0.kind) }
                .map { "\($0.kind):\($0.status)" }.sorted().joined(separator: ",")
            bySignature[rules.sorted().joined(separator: "+"), default: [:]][handling.isEmpty ? "none" : handling, default: []].append(id)
        }
        report.divergences = bySignature.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
            .map { Divergence(rules: $0.key.split(separator: "+").map(String.init), handlings: $0.value) }
        return report
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }

    /// A plain-text rendering for the terminal (ids only, never comment text).
    public func render() -> String {
        var lines: [String] = []
        func section(_ title: String, _ groups: [String: Group]) {
            lines.append(title)
            for group in groups.values.sorted(by: { $0.key < $1.key }) {
                let median = group.medianSecondsToAction.map { String(format: "%.0f s", $0) } ?? "—"
                let templates = group.templates.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
                lines.append("  \(group.key): \(group.items) items, \(group.automated) automated, \(group.human) by people, reversed \(group.reversed), median time to action \(median)\(templates.isEmpty ? "" : ", templates \(templates)")")
            }
        }
        section("by rule", byRule)
        section("by category", byCategory)
        lines.append("similar items handled differently (same rules fired):")
        if divergences.isEmpty { lines.append("  none") }
        for divergence in divergences {
            lines.append("  rules \(divergence.rules.joined(separator: ", ")):")
            for (handling, ids) in divergence.handlings.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(handling): items \(ids.map(String.init).joined(separator: ", "))")
            }
        }
        lines.append("shadow rules (recorded, never acted on):")
        if shadow.isEmpty { lines.append("  none") }
        for (rule, outcome) in shadow.sorted(by: { $0.key < $1.key }) {
            let would = outcome.wouldHave.sorted { $0.key < $1.key }.map { "would have \($0.key.replacingOccurrences(of: "_", with: " ")) ×\($0.value)" }
            lines.append("  \(rule): fired on \(outcome.items.count) items" + (would.isEmpty ? "" : ", " + would.joined(separator: ", "))
                         + " (items \(outcome.items.prefix(20).map(String.init).joined(separator: ", "))\(outcome.items.count > 20 ? ", …" : ""))")
        }
        return lines.joined(separator: "\n")
    }
}
