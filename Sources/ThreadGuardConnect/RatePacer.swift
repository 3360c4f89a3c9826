import Foundation
import ThreadGuardHTTP

/// Slows a connector down before the platform refuses: it reads the usage a platform reports on every response
/// (Meta's `X-App-Usage` / `X-Business-Use-Case-Usage` percentages; X, Reddit and Mastodon's remaining-requests
/// and reset headers) and waits before the next request when the budget runs low; after a refusal it waits as
/// long as `Retry-After` says.
public actor RatePacer {
    private var usagePercent = 0.0
    private var seenUsage = false
    private var remainingRequests: Double?
    private var remainingResetsAt: Date?
    private var notBefore = Date.distantPast
    private let usageHeaders: [String]
    private let usageSlowAbove: Double

    public init(usageHeaders: [String] = ["X-App-Usage", "X-Business-Use-Case-Usage"], usageSlowAbove: Double = 75) {
        self.usageHeaders = usageHeaders
        self.usageSlowAbove = usageSlowAbove
    }

    /// A platform's count of requests left in its window: at or below `slowBelow`, wait for the reset.
    public func remaining(_ count: Double, resetsAt reset: Date, slowBelow: Double) {
        remainingRequests = count
        remainingResetsAt = reset
        if count <= slowBelow { notBefore = max(notBefore, reset) }
    }

    /// Highest percentage in Meta's usage headers (`{"call_count":…,"total_time":…,"total_cputime":…}`, or the
    /// business-use-case map of lists of such objects).
    public static func metaUsage(_ response: IncomingResponse, headers: [String] = ["X-App-Usage", "X-Business-Use-Case-Usage"]) -> Double? {
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
        for name in headers {
            if let text = response.header(name), let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) { collect(object) }
        }
        return values.max()
    }

    public func observe(_ response: IncomingResponse) {
        if !usageHeaders.isEmpty, let usage = Self.metaUsage(response, headers: usageHeaders) {
            usagePercent = usage
            seenUsage = true
        }
    }

    /// What the platform last said of the budget left, if it said anything.
    public func budget() -> APIBudget? {
        guard seenUsage || remainingRequests != nil else { return nil }
        return APIBudget(usedPercent: seenUsage ? usagePercent : nil, remaining: remainingRequests, resetsAt: remainingResetsAt)
    }

    public func refused(retryAfterSeconds: Double) {
        notBefore = max(notBefore, Date().addingTimeInterval(retryAfterSeconds))
    }

    /// How long to wait before the next request.
    public func delayBeforeNextRequest() -> TimeInterval {
        let refusal = max(0, notBefore.timeIntervalSinceNow)
        // Above 75% of the budget, slow down progressively: up to 2 s a request at 100%.
        let room = max(1, 100 - usageSlowAbove)
        let pacing = usagePercent > usageSlowAbove ? min(2, (usagePercent - usageSlowAbove) / room * 2) : 0
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

/// The API budget a platform reports: Meta's percentage used, or the requests left in the window and when it resets.
public struct APIBudget: Codable, Sendable, Equatable {
    public var usedPercent: Double?
    public var remaining: Double?
    public var resetsAt: Date?

    public init(usedPercent: Double? = nil, remaining: Double? = nil, resetsAt: Date? = nil) {
        self.usedPercent = usedPercent
        self.remaining = remaining
        self.resetsAt = resetsAt
    }

    /// "28% left" or "143 requests left until 14:05:00Z".
    public var summary: String {
        if let usedPercent { return "\(Int((100 - usedPercent).rounded()))% left" }
        let reset = resetsAt.map { " until \(ISO8601DateFormatter().string(from: $0))" } ?? ""
        return "\(Int(remaining ?? 0)) requests left\(reset)"
    }
}
