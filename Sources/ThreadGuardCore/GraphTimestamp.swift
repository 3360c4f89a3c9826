import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes the timestamps platforms send (`2021-08-10T18:45:03+0000`, `…Z`, `…+00:00`, optional
/// fractions) without a DateFormatter per value: these run once per comment.
public enum Timestamp {
    /// Parses an ISO 8601 date-time with a zone offset; nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for k in from..<(from + count) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            return value
        }
        guard b.count >= 19, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 32, b[13] == 58, b[16] == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var k = 19
        var fraction = 0.0
        if k < b.count, b[k] == 46 {
            k += 1
            var scale = 0.1
            while k < b.count, b[k] >= 48, b[k] <= 57 {
                fraction += Double(b[k] - 48) * scale
                scale /= 10
                k += 1
            }
        }
        var offset = 0
        if k < b.count {
            if b[k] == 90 {
                k += 1
            } else if b[k] == 43 || b[k] == 45 {
                let sign = b[k] == 45 ? -1 : 1
                guard let hours = number(k + 1, 2) else { return nil }
                var minutesAt = k + 3
                if minutesAt < b.count, b[minutesAt] == 58 { minutesAt += 1 }
                guard let minutes = number(minutesAt, 2) else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
                k = minutesAt + 2
            } else {
                return nil
            }
        }
        guard k == b.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds - offset) + fraction)
    }

    /// `2021-08-10T18:45:03+0000` (Graph's form), in UTC.
    public static func graph(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))+0000"
    }
}
