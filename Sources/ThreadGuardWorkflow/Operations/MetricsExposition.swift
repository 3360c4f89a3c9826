import Foundation
import Prometheus
import ThreadGuardStore

/// The Prometheus text `serve` answers on `/metrics` and `poll --metrics-file` writes for the node exporter's textfile
/// collector: the counters every run added to the database, the gauges of the queue, outbox, intakes, sources and
/// alerts read now, and the histograms.
///
/// Counters and gauges go through swift-prometheus (a registry made per exposition and filled from the database).
/// Histograms are written here from their stored buckets: swift-prometheus fills a histogram only by observing values
/// in its own process, and ours add up over many cron runs, so their cumulative buckets are written out as stored,
/// in the same text format.
public enum MetricsExposition {
    static let counterHelp: [String: String] = [
        "threadguard_items_polled_total": "Comments and posts fetched and stored, per source.",
        "threadguard_items_flagged_total": "Items given any action by the policies, per source.",
        "threadguard_items_hidden_total": "Hides confirmed by the platform, per source.",
        "threadguard_replies_sent_total": "Replies sent, per source and kind.",
        "threadguard_actions_done_total": "Other platform actions done, per source and kind.",
        "threadguard_failures_total": "Failures by stage (connect, poll, action) and reason.",
        "threadguard_dead_letters_total": "Actions that gave up after every retry.",
        "threadguard_polls_total": "Polls of a source, by outcome.",
        "threadguard_alerts_sent_total": "Alerts delivered to a channel.",
        "threadguard_alerts_failed_total": "Alert deliveries that failed (retried by the next run).",
    ]

    public static func render(config: AppConfig, database: any Store, now: Date = Date()) throws -> String {
        let registry = PrometheusCollectorRegistry()
        let stored = try database.storedMetrics()
        let histogramNames = Set(MetricHistogram.all.flatMap { [$0.name + "_bucket", $0.name + "_sum", $0.name + "_count"] })
        for metric in stored where !histogramNames.contains(metric.name) {
            registry.makeCounter(name: metric.name, labels: parseLabels(metric.labels), help: counterHelp[metric.name] ?? "ThreadGuard counter.")
                .increment(by: metric.value)
        }
        addGauges(to: registry, config: config, database: database, now: now)
        return registry.emitToString() + histograms(stored)
    }

    static func addGauges(to registry: PrometheusCollectorRegistry, config: AppConfig, database: any Store, now: Date) {
        guard let snapshot = try? database.operationsSnapshot(), let sources = try? database.sourceRecords() else { return }
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = [], _ value: Double) {
            registry.makeGauge(name: name, labels: labels, help: help).set(value)
        }
        for priority in snapshot.queueByPriority.keys.sorted() {
            gauge("threadguard_queue_open", "Open review items, by priority.", [("priority", String(priority))], Double(snapshot.queueByPriority[priority] ?? 0))
        }
        gauge("threadguard_crisis_open", "Crisis items waiting for a person.", [], Double(snapshot.crisis.count))
        gauge("threadguard_crisis_oldest_age_seconds", "Age of the oldest crisis item waiting (0 when none).", [],
              snapshot.crisis.map { now.timeIntervalSince($0.openedAt) }.max() ?? 0)
        for status in ["pending", "sending", "draft", "dead"] {
            gauge("threadguard_outbox_actions", "Outbox actions by status.", [("status", status)], Double(snapshot.outbox[status] ?? 0))
        }
        gauge("threadguard_adverse_event_intakes_open", "Open adverse-event intakes.", [], Double(snapshot.intakes.count))
        if let breaches = try? database.responseBreaches(now: now, since: now.addingTimeInterval(-7 * 86_400)) {
            for target in ResponseTargets.Target.allCases {
                gauge("threadguard_review_target_breaches", "Queued items past their response target: waiting now, or first acted on late in the last 7 days.",
                      [("target", target.rawValue), ("state", "waiting")], Double(breaches.waiting[target.rawValue] ?? 0))
                gauge("threadguard_review_target_breaches", "Queued items past their response target: waiting now, or first acted on late in the last 7 days.",
                      [("target", target.rawValue), ("state", "late")], Double(breaches.late[target.rawValue] ?? 0))
            }
        }
        gauge("threadguard_adverse_event_intakes_overdue", "Open adverse-event intakes past their due date.", [],
              Double(snapshot.intakes.filter { $0.dueAt < now }.count))
        for status in ["pending", "sent", "dead"] {
            gauge("threadguard_alerts", "Alerts by status.", [("status", status)], Double(snapshot.alerts[status] ?? 0))
        }
        for source in sources {
            let labels = [("source", source.name), ("platform", source.connector)]
            gauge("threadguard_source_up", "1 when the source's last poll succeeded.", labels, source.failingSince == nil && source.lastPolledAt != nil ? 1 : 0)
            gauge("threadguard_source_needs_person", "1 when a person must mend the source (token, permissions, failing past the window).", labels,
                  source.needsPerson(window: config.failureWindow, now: now) ? 1 : 0)
            gauge("threadguard_source_last_success_timestamp_seconds", "When the source was last polled successfully (Unix time; 0 never).", labels,
                  source.lastSuccessAt?.timeIntervalSince1970 ?? 0)
        }
    }

    /// The stored histograms, each label set's buckets in order with every declared bound.
    static func histograms(_ stored: [StoredMetric]) -> String {
        var out = ""
        for histogram in MetricHistogram.all {
            let parts = stored.filter { $0.name.hasPrefix(histogram.name + "_") }
            let counts = parts.filter { $0.name == histogram.name + "_count" }
            guard !counts.isEmpty else { continue }
            out += "# HELP \(histogram.name) \(histogram.help)\n# TYPE \(histogram.name) histogram\n"
            for count in counts {
                let labels = parseLabels(count.labels)
                let values = Dictionary(parts.filter { $0.name == histogram.name + "_bucket" }.map { ($0.labels, $0.value) }, uniquingKeysWith: +)
                for bound in histogram.buckets.map(MetricsTally.number) + ["+Inf"] {
                    let text = MetricsTally.labelText(Dictionary(uniqueKeysWithValues: labels + [("le", bound)]))
                    out += "\(histogram.name)_bucket{\(text)} \(MetricsTally.number(values[text] ?? 0))\n"
                }
                let sum = parts.first { $0.name == histogram.name + "_sum" && $0.labels == count.labels }?.value ?? 0
                let braces = count.labels.isEmpty ? "" : "{\(count.labels)}"
                out += "\(histogram.name)_sum\(braces) \(MetricsTally.number(sum))\n\(histogram.name)_count\(braces) \(MetricsTally.number(count.value))\n"
            }
        }
        return out
    }

    /// Reads `a="1",b="x\"y"` back into pairs.
    static func parseLabels(_ text: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var chars = text[...]
        while !chars.isEmpty {
            guard let equals = chars.firstIndex(of: "=") else { break }
            let key = String(chars[..<equals])
            chars = chars[chars.index(after: equals)...].dropFirst()  // past ="
            var value = ""
            var escaped = false
            while let c = chars.first {
                chars = chars.dropFirst()
                if escaped {
                    value.append(c == "n" ? "\n" : c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    break
                } else {
                    value.append(c)
                }
            }
            pairs.append((key, value))
            if chars.first == "," { chars = chars.dropFirst() }
        }
        return pairs
    }
}
