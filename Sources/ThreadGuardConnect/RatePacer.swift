import Foundation
import ThreadGuardHTTP

/// Slows a connector down before the platform refuses: it reads the usage a platform reports on every response
/// (Meta's `X-App-Usage` / `X-Business-Use-Case-Usage` percentages) and waits before the next request when
/// usage runs high; after a refusal it waits as long as `Retry-After` says.
public actor RatePacer {
    private var usagePercent = 0.0
    private var notBefore = Date.distantPast

    public init() {}

    /// Highest percentage in Meta's usage headers (`{"call_count":…,"total_time":…,"total_cputime":…}`, or the
    /// business-use-case map of lists of such objects).
    public static func metaUsage(_ response: IncomingResponse) -> Double? {
        var values: [Double] = []
        func collect(_ object: Any) {
            if let dict = object as? [String: Any] {
                for (key, value) in dict {
                    if ["call_count", "total_time", "total_cputime"].contains(key), let number = value as? NSNumber { values.append(number.doubleValue) }
                    else { collect(value) }
                }
            } else if let list = object as? [Any] {
                list.forEach(collect)
            }
        }
        for name in ["X-App-Usage", "X-Business-Use-Case-Usage"] {
            if let text = response.header(name), let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) { collect(object) }
        }
        return values.max()
    }

    public func observe(_ response: IncomingResponse) {
        if let usage = Self.metaUsage(response) { usagePercent = usage }
    }

    public func refused(retryAfterSeconds: Double) {
        notBefore = max(notBefore, Date().addingTimeInterval(retryAfterSeconds))
    }

    /// How long to wait before the next request.
    public func delayBeforeNextRequest() -> TimeInterval {
        let refusal = max(0, notBefore.timeIntervalSinceNow)
        // Above 75% of the budget, slow down progressively: up to 2 s a request at 100%.
        let pacing = usagePercent > 75 ? min(2, (usagePercent - 75) / 25 * 2) : 0
        return max(refusal, pacing)
    }
}

/// How polling requests are retried.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    /// A `Retry-After` longer than this ends the poll for that source (the next run resumes from its cursors).
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 4, baseDelay: TimeInterval = 0.2, maxDelay: TimeInterval = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }
}
