import Foundation
import ThreadGuardCore

/// How soon a person must first act on a queued item, per kind of item (`response_targets:` in threadguard.yaml).
/// The deadline is fixed when the item enters the queue (`review.dueAt`), so changing the targets changes the
/// deadlines of items queued afterwards, not of those already waiting.
public struct ResponseTargets: Sendable, Equatable {
    /// The kinds of item with a target of their own.
    public enum Target: String, Sendable, CaseIterable {
        case crisis
        case adverseEvent = "adverse_event"
        case other
    }

    /// A span of time, or a number of business days (Monday to Friday, in UTC).
    public enum Span: Sendable, Equatable {
        case seconds(TimeInterval)
        case businessDays(Int)

        /// `15m`, `4h`, `1d`, `1 business day`, `2 business days`; nil when it is none of these.
        public init?(_ text: String) {
            let words = text.lowercased().split(separator: " ")
            if words.count == 3, words[1] == "business", words[2] == "day" || words[2] == "days", let days = Int(words[0]), (1...30).contains(days) {
                self = .businessDays(days)
            } else if let seconds = DurationText.seconds(text.trimmingCharacters(in: .whitespaces)), seconds >= 60 {
                self = .seconds(seconds)
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .businessDays(let days): return "\(days) business day\(days == 1 ? "" : "s")"
            case .seconds(let seconds): return ResponseTargets.phrase(seconds)
            }
        }
    }

    public var crisis = Span.seconds(15 * 60)
    public var adverseEvent = Span.businessDays(1)
    public var other = Span.seconds(86_400)

    public init() {}

    public subscript(target: Target) -> Span {
        get {
            switch target {
            case .crisis: crisis
            case .adverseEvent: adverseEvent
            case .other: other
            }
        }
        set {
            switch target {
            case .crisis: crisis = newValue
            case .adverseEvent: adverseEvent = newValue
            case .other: other = newValue
            }
        }
    }

    /// A crisis: a distress comment or one a rule escalates; then a possible adverse event; else everything else.
    public static func target(categories: [String], actions: [String]) -> Target {
        if categories.contains("distress") || actions.contains("escalate") { return .crisis }
        if categories.contains("adverse_event") || actions.contains("adverse_event_report") { return .adverseEvent }
        return .other
    }

    /// When an item of `target` queued at `start` is due.
    public func due(_ target: Target, from start: Date) -> Date {
        switch self[target] {
        case .seconds(let seconds): return start.addingTimeInterval(seconds)
        case .businessDays(let days): return Self.adding(businessDays: days, to: start)
        }
    }

    static func adding(businessDays: Int, to start: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = start
        // Queued on a weekend: the clock starts on Monday at the same time of day.
        while calendar.isDateInWeekend(date) { date = calendar.date(byAdding: .day, value: 1, to: date)! }
        var left = businessDays
        while left > 0 {
            date = calendar.date(byAdding: .day, value: 1, to: date)!
            if !calendar.isDateInWeekend(date) { left -= 1 }
        }
        return date
    }

    /// "15 min", "3 h 20 min", "2 days".
    public static func phrase(_ seconds: TimeInterval) -> String {
        let minutes = Int((abs(seconds) / 60).rounded(.up))
        if minutes < 60 { return "\(minutes) min" }
        if minutes % 1440 == 0 { return minutes == 1440 ? "1 day" : "\(minutes / 1440) days" }
        if minutes < 48 * 60 { return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes / 1440) days"
    }
}
