import Crypto
import Foundation
import ThreadGuardConnect
import ThreadGuardLearn
import ThreadGuardStore

/// `threadguard status`: is everything healthy, and if not, what does a person have to do. Built from the
/// configuration and the database only (no platform is called), so monitoring can run it every minute.
public struct StatusReport: Sendable {
    public struct Source: Sendable {
        public var record: SourceRecord
        public var configured: Bool
        public var cursorMovedAt: Date?
        public var needsPerson: Bool
        public var budget: String?

        /// ok, needs_new_token, or unknown (never polled).
        public var tokenState: String {
            if record.needsToken { return "needs_new_token" }
            return record.lastPolledAt == nil ? "unknown" : "ok"
        }
    }

    public var checkedAt: Date
    public var sources: [Source]
    public var snapshot: OperationsSnapshot
    public var policiesFolder: String
    public var policiesFingerprint: String?
    public var modelFile: String?
    public var modelFingerprint: String?
    /// The policies or model are broken and the last good copy is in use (or nothing could be loaded).
    public var judgeWarnings: [String]
    /// What a person must do; empty when healthy.
    public var needsPerson: [String]

    public var healthy: Bool { needsPerson.isEmpty }

    public static func make(config: AppConfig, database: any Store, now: Date = Date()) throws -> StatusReport {
        let snapshot = try database.operationsSnapshot()
        let records = try database.sourceRecords()
        let configuredNames = Set(config.sources.map(\.name))
        var sources: [Source] = []
        for source in config.sources {
            let record = records.first { $0.name == source.name } ?? SourceRecord(name: source.name, connector: source.connector, account: source.account)
            sources.append(Source(record: record, configured: true, cursorMovedAt: snapshot.cursorMovedAt[source.name],
                                  needsPerson: record.needsPerson(window: config.failureWindow, now: now), budget: budgetSummary(record.apiBudget)))
        }
        var judgeWarnings: [String] = []
        do { judgeWarnings = try config.makeJudge().warnings } catch { judgeWarnings = ["the policies or the model cannot be loaded: \(error)"] }
        var needs: [String] = []
        for source in sources where source.needsPerson {
            needs.append("source '\(source.record.name)' \(AlertPlanner.reason(source.record, now: now).title): \(AlertPlanner.reason(source.record, now: now).todo)")
        }
        // No poll at all (the timer stopped, cron broken) is as bad as a failing one.
        for source in sources where !source.needsPerson {
            if let last = source.record.lastPolledAt, now.timeIntervalSince(last) > max(config.failureWindow, 600) {
                needs.append("source '\(source.record.name)' has not been polled for \(Self.age(now.timeIntervalSince(last))): is the poll timer or cron job running?")
            }
        }
        if let oldest = snapshot.crisis.first {
            needs.append("\(snapshot.crisis.count) crisis item(s) waiting for a person, the oldest (item \(oldest.itemID)) for \(Self.age(now.timeIntervalSince(oldest.openedAt)))")
        }
        let overdue = snapshot.intakes.filter { $0.dueAt < now }
        if !overdue.isEmpty { needs.append("\(overdue.count) adverse-event intake(s) past their due date: \(overdue.map { "\($0.id)" }.joined(separator: ", "))") }
        if !snapshot.deadLetters.isEmpty {
            needs.append("\(snapshot.deadLetters.count) action(s) gave up (dead letters): actions \(snapshot.deadLetters.prefix(10).map { "\($0.actionID)" }.joined(separator: ", "))")
        }
        if let dead = snapshot.alerts["dead"], dead > 0 { needs.append("\(dead) alert(s) could not be sent after every retry; check the alerts settings") }
        needs += judgeWarnings
        let modelPath: String?
        switch config.models {
        case .none: modelPath = nil
        case .required(let folder), .ifPresent(let folder):
            let file = (folder as NSString).appendingPathComponent(ModelFile.fileName)
            modelPath = FileManager.default.fileExists(atPath: file) ? file : nil
        }
        return StatusReport(checkedAt: now, sources: sources + records.filter { !configuredNames.contains($0.name) }.map {
            Source(record: $0, configured: false, cursorMovedAt: snapshot.cursorMovedAt[$0.name], needsPerson: false, budget: budgetSummary($0.apiBudget))
        }, snapshot: snapshot, policiesFolder: config.policies, policiesFingerprint: fingerprint(folder: config.policies),
            modelFile: modelPath, modelFingerprint: modelPath.flatMap { fingerprint(files: [$0]) }, judgeWarnings: judgeWarnings, needsPerson: needs)
    }

    static func budgetSummary(_ json: String?) -> String? {
        json.flatMap { try? JSONDecoder().decode(APIBudget.self, from: Data($0.utf8)) }?.summary
    }

    /// The first 12 hex digits of the SHA-256 of the folder's YAML files (names and contents, in name order).
    static func fingerprint(folder: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        return fingerprint(files: names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (folder as NSString).appendingPathComponent($0) })
    }

    static func fingerprint(files: [String]) -> String? {
        var hasher = SHA256()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { return nil }
            hasher.update(data: Data(((file as NSString).lastPathComponent + "\n").utf8))
            hasher.update(data: data)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined().prefix(12).description
    }

    public static func age(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h" }
        return "\(s / 86_400) d"
    }
}
