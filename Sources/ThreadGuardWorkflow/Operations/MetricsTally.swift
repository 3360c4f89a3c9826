import Foundation
import ThreadGuardStore

/// A histogram's name and upper bounds (seconds).
public struct MetricHistogram: Sendable {
    public let name: String
    public let help: String
    public let buckets: [Double]

    /// Fetched to hidden on the platform: the promise a compliance officer asks about.
    public static let timeToHide = MetricHistogram(name: "threadguard_time_to_hide_seconds", help: "Time from fetching a comment to its hide being confirmed by the platform.",
                                                   buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21_600])
    public static let pollDuration = MetricHistogram(name: "threadguard_poll_duration_seconds", help: "Time to poll one source once.",
                                                     buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300])
    public static let classification = MetricHistogram(name: "threadguard_classification_seconds", help: "Time to judge one comment (detectors, models, rules, reply draft).",
                                                       buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05, 0.25])
    public static let all = [timeToHide, pollDuration, classification]
}

/// The counters and histogram observations of one run, added to the database's series at the end of it (so that
/// cron runs add up, and `serve` and `poll --metrics-file` expose the same totals). Thread-safe.
public final class MetricsTally: @unchecked Sendable {
    private let lock = NSLock()
    private var deltas: [Series: Double] = [:]

    struct Series: Hashable {
        var name: String
        var labels: String
    }

    public init() {}

    public func count(_ name: String, _ labels: [String: String], by amount: Double = 1) {
        guard amount != 0 else { return }
        let series = Series(name: name, labels: Self.labelText(labels))
        lock.withLock { deltas[series, default: 0] += amount }
    }

    public func observe(_ histogram: MetricHistogram, _ value: Double, labels: [String: String] = [:]) {
        let base = Self.labelText(labels)
        lock.withLock {
            for bound in histogram.buckets where value <= bound {
                deltas[Series(name: histogram.name + "_bucket", labels: Self.labelText(labels.merging(["le": Self.number(bound)]) { $1 })), default: 0] += 1
            }
            deltas[Series(name: histogram.name + "_bucket", labels: Self.labelText(labels.merging(["le": "+Inf"]) { $1 })), default: 0] += 1
            deltas[Series(name: histogram.name + "_sum", labels: base), default: 0] += value
            deltas[Series(name: histogram.name + "_count", labels: base), default: 0] += 1
        }
    }

    /// Everything counted since the last drain.
    public func drain() -> [StoredMetric] {
        lock.withLock {
            defer { deltas.removeAll() }
            return deltas.map { StoredMetric(name: $0.key.name, labels: $0.key.labels, value: $0.value) }
                .sorted { ($0.name, $0.labels) < ($1.name, $1.labels) }
        }
    }

    /// Adds what was counted to the database's series.
    public func save(to database: any Store) throws {
        try database.addMetrics(drain())
    }

    /// `a="1",b="2"`, keys sorted, values escaped as the text format wants.
    public static func labelText(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }.joined(separator: ",")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
