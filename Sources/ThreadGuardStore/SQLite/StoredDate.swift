import Foundation
import GRDB

/// Dates in GRDB's stored text form ("yyyy-MM-dd HH:mm:ss.SSS", UTC), written without a DateFormatter.
///
/// GRDB formats every bound `Date` through ICU's DateFormatter; in the ingest benchmark that was about a tenth
/// of the time spent storing and deciding. Rows read back through GRDB as usual. A test checks both give the
/// same text.
enum StoredDate {
    static func value(_ date: Date) -> DatabaseValue {
        // Four-digit years only; anything else is left to GRDB.
        guard date.timeIntervalSince1970 > -62_135_596_800, date.timeIntervalSince1970 < 253_402_300_800 else { return date.databaseValue }
        return text(date).databaseValue
    }

    static func text(_ date: Date) -> String {
        // Milliseconds exactly as Foundation hands them to ICU — (reference-date seconds + 978307200) × 1000 +
        // 0.5, then floored — so half-way and pre-1970 times round as the formatter's do ("…:00.9999" is
        // "…:01.000").
        let totalMillis = Int64(((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down))
        var seconds = time_t(totalMillis >= 0 ? totalMillis / 1000 : (totalMillis - 999) / 1000)
        let millis = Int(totalMillis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func put(_ value: Int, _ width: Int) {
            var digits = [UInt8](repeating: 48, count: width)
            var rest = value
            for k in stride(from: width - 1, through: 0, by: -1) {
                digits[k] = UInt8(48 + rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: digits)
        }
        put(Int(parts.tm_year) + 1900, 4); bytes.append(45)
        put(Int(parts.tm_mon) + 1, 2); bytes.append(45)
        put(Int(parts.tm_mday), 2); bytes.append(32)
        put(Int(parts.tm_hour), 2); bytes.append(58)
        put(Int(parts.tm_min), 2); bytes.append(58)
        put(Int(parts.tm_sec), 2); bytes.append(46)
        put(millis, 3)
        return String(decoding: bytes, as: UTF8.self)
    }
}
