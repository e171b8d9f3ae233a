import Foundation

/// A point in time in whole seconds since 1970-01-01T00:00:00Z.
///
/// Records carry whole UTC seconds (a sub-second part is dropped), so this type keeps exactly
/// that and does its own calendar arithmetic: formatting is fast and the same on every platform.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the Unix epoch.
    public var seconds: Int64

    /// The offset of Vietnam time (UTC+07:00), in seconds.
    public static let vietnamOffset: Int64 = 7 * 3600

    /// The instants the calendar arithmetic handles: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    public static let supportedSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Whether this instant is within ``supportedSeconds`` (a stored time outside it cannot be reconciled).
    public var isSupported: Bool { Self.supportedSeconds.contains(seconds) }

    /// A timestamp from Unix seconds.
    public init(unixSeconds: Int64) {
        self.seconds = unixSeconds
    }

    /// A timestamp from a `Date`, truncated to whole seconds.
    public init(_ date: Date) {
        self.seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// The current time.
    public static var now: Timestamp { Timestamp(Date()) }

    /// The `Date` of this timestamp.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

    /// This timestamp moved by `seconds`.
    public func adding(seconds delta: Int64) -> Timestamp { Timestamp(unixSeconds: seconds + delta) }

    /// `YYYY-MM-DDThh:mm:ssZ`.
    public var description: String { iso8601 }

    /// `YYYY-MM-DDThh:mm:ssZ`, the wire form of every time.
    public var iso8601: String {
        let civil = civilTime(offset: 0)
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T"
            + "\(pad(civil.hour, 2)):\(pad(civil.minute, 2)):\(pad(civil.second, 2))Z"
    }

    /// The calendar date and time of this instant in a zone `offset` seconds east of UTC.
    public func civilTime(offset: Int64) -> CivilTime {
        let local = seconds + offset
        let days = local.floorDivided(by: 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        return CivilTime(
            year: Int(year), month: Int(month), day: Int(day),
            hour: Int(secondOfDay / 3600), minute: Int(secondOfDay % 3600 / 60), second: Int(secondOfDay % 60)
        )
    }

    /// The instant of a calendar date and time in a zone `offset` seconds east of UTC, or `nil`
    /// when a field is out of range.
    public init?(_ civil: CivilTime, offset: Int64) {
        guard (1...9999).contains(civil.year), (1...12).contains(civil.month),
            (1...Self.daysIn(month: civil.month, year: civil.year)).contains(civil.day),
            (0...23).contains(civil.hour), (0...59).contains(civil.minute), (0...60).contains(civil.second)
        else { return nil }
        let days = Self.daysSinceEpoch(year: Int64(civil.year), month: Int64(civil.month), day: Int64(civil.day))
        let local = days * 86_400 + Int64(civil.hour * 3600 + civil.minute * 60 + min(civil.second, 59))
        self.seconds = local - offset
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days-from-civil and civil-from-days algorithms.
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A calendar date and time of day, without a zone.
public struct CivilTime: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// Makes a calendar time; fields are checked when it is turned into a ``Timestamp``.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
