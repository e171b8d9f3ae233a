extension VND {
    /// Whether `amount` lies within ±``maximumMagnitude``.
    public static func isWithinRange(_ amount: Int64) -> Bool {
        amount >= -maximumMagnitude && amount <= maximumMagnitude
    }

    /// `Σ values`, or `nil` when the sum leaves ±``maximumMagnitude`` (or a partial sum leaves `Int64`).
    ///
    /// Never traps: use it, not `+`, for any sum of amounts that came from outside or from a database.
    public static func sum(_ values: some Sequence<Int64>) -> Int64? {
        var total: Int64 = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { return nil }
            total = next
        }
        return isWithinRange(total) ? total : nil
    }

    /// `a + b + …`, or `nil` when the sum leaves ±``maximumMagnitude``.
    public static func sum(_ values: Int64...) -> Int64? {
        sum(values)
    }

    /// `a − b`, or `nil` when the difference leaves ±``maximumMagnitude``.
    public static func difference(_ a: Int64, _ b: Int64) -> Int64? {
        let (result, overflow) = a.subtractingReportingOverflow(b)
        return !overflow && isWithinRange(result) ? result : nil
    }

    /// `a × b`, or `nil` when the product leaves ±``maximumMagnitude``.
    public static func product(_ a: Int64, _ b: Int64) -> Int64? {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return !overflow && isWithinRange(result) ? result : nil
    }
}
