import Foundation
import TaxLinkCore

/// Reads `Retry-After` (RFC 9110 §10.2.3): delay seconds, or an HTTP-date (IMF-fixdate).
public enum RetryAfter {
    /// The wait in seconds from `now`; `nil` when absent or unreadable. A date in the past is 0.
    public static func seconds(_ value: String?, now: Date) -> TimeInterval? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
        if value.allSatisfy(\.isNumber) { return TimeInterval(value) }
        guard let date = httpDate(value) else { return nil }
        return max(0, date.date.timeIntervalSince(now))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
            let month = months.firstIndex(of: String(parts[2]))
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return Timestamp(
            CivilTime(year: year, month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2]),
            offset: 0
        )
    }
}
