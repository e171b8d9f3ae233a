/// A monthly tax period, the calendar month in Vietnam time (UTC+07:00).
public struct TaxPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    /// The period `year`-`month`; `nil` when the month is not 1…12.
    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// The period that contains `instant` in Vietnam time: 2026-01-31T18:00:00Z is in 2026-02.
    public init(containing instant: Timestamp) {
        let civil = instant.civilTime(offset: Timestamp.vietnamOffset)
        year = civil.year
        month = civil.month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// `YYYY-MM`.
    public var description: String { "\(pad(year, 4))-\(pad(month, 2))" }

    /// The following month.
    public var next: TaxPeriod {
        month == 12 ? TaxPeriod(year: year + 1, month: 1)! : TaxPeriod(year: year, month: month + 1)!
    }

    /// The first instant of the period (the 1st, 00:00 Vietnam time).
    public var start: Timestamp {
        Timestamp(CivilTime(year: year, month: month, day: 1), offset: Timestamp.vietnamOffset)!
    }

    /// When a report on this period becomes late: the 21st of the following month, 00:00 Vietnam time.
    public var lateReportDeadline: Timestamp {
        Timestamp(CivilTime(year: next.year, month: next.month, day: 21), offset: Timestamp.vietnamOffset)!
    }

    public static func < (lhs: TaxPeriod, rhs: TaxPeriod) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
