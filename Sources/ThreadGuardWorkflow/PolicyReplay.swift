import Foundation
import ThreadGuardCore
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardStore

/// Re-evaluates stored items with another policy set and reports what would change, without acting or
/// writing anything. Lists item ids, never comment text.
public struct PolicyReplay {
    public struct Change: Sendable {
        public var itemID: Int64
        public var platform: String
        public var platformID: String
        public var before: [String]
        public var after: [String]
        public var rules: [String]
    }

    public struct Report: Sendable {
        public var items = 0
        public var changed: [Change] = []
        public var newlyHidden: [Int64] = []
        public var noLongerHidden: [Int64] = []
        /// Shadow rule → the items it would fire on with this policy set, and which of those it would hide.
        public var shadow: [String: (items: [Int64], wouldHide: [Int64])] = [:]
        /// What the shadow rules recorded when the items were decided: rule → items.
        public var recordedShadow: [String: [Int64]] = [:]
    }

    let databasePath: String
    let audit: AuditSettings
    let policies: PolicySet
    /// The learned models to rehearse (a retrained model before anyone switches to it); nil: the rules alone.
    let models: LearnedModels?

    public init(databasePath: String, audit: AuditSettings = AuditSettings(), policies: PolicySet, models: LearnedModels? = nil) {
        self.databasePath = databasePath
        self.audit = audit
        self.policies = policies
        self.models = models
    }

    public func run(since: Date) throws -> Report {
        let database = try ThreadGuardDatabase(path: databasePath, audit: audit)
        let judge = Judge(policies: policies, models: models)
        var report = Report()
        for record in try database.allItems() where !record.isBrand && record.fetchedAt >= since {
            guard let id = record.id else { continue }
            report.items += 1
            let context = try database.ancestors(of: record).map { ThreadContextEntry(role: $0.isBrand ? .brand : .user, text: $0.text) }
            let item = record.item
            let (_, decision, _) = judge.judge(Judge.Subject(text: item.text, context: context, platform: item.platform, kind: item.kind,
                                                             author: item.authorName, isBrand: item.isBrand))
            let stored = try database.decision(itemID: id)
            for rule in decision.shadowRules {
                report.shadow[rule, default: ([], [])].items.append(id)
                if decision.shadowActions.contains(.hide) { report.shadow[rule, default: ([], [])].wouldHide.append(id) }
            }
            for rule in stored.map({ JSONDecoderList.decode($0.shadowRules) }) ?? [] { report.recordedShadow[rule, default: []].append(id) }
            let before = stored.map { JSONDecoderList.decode($0.actions) } ?? []
            let after = decision.actions.map(\.rawValue)
            guard Set(before) != Set(after) else { continue }
            report.changed.append(Change(itemID: id, platform: record.platform, platformID: record.platformID, before: before,
                                         after: after, rules: decision.rules))
            if after.contains("hide"), !before.contains("hide") { report.newlyHidden.append(id) }
            if before.contains("hide"), !after.contains("hide") { report.noLongerHidden.append(id) }
        }
        return report
    }
}

enum JSONDecoderList {
    static func decode(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }
}
