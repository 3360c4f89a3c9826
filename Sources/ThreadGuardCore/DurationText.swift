import Foundation

/// Durations as people write them in options and the configuration: a number and a unit, `30d`, `12h`, `45m`, `90s`.
public enum DurationText {
    public static let example = "30d, 12h, 45m or 90s"

    /// Seconds, or nil when the text is not a non-negative number followed by d, h, m or s.
    public static func seconds(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0, value.isFinite else { return nil }
        switch unit {
        case "d": return value * 86_400
        case "h": return value * 3_600
        case "m": return value * 60
        case "s": return value
        default: return nil
        }
    }
}
