import GRDB

/// `clamped_sum(x)`: the SQL aggregate the store sums amounts with, in place of SQLite's `SUM`.
///
/// SQLite's `SUM` fails the whole statement with "integer overflow" when a sum leaves `Int64`, so a
/// few thousand settlements of one order at the amount ceiling would fail every reconciliation run.
/// This sum is exact in 128 bits and clamped to `Int64` at the end: a result beyond ±10^15 đồng is
/// out of range for the rules above the store, which report it as a finding instead of computing on
/// it. `NULL`s are skipped and the sum of no value is `NULL`, as with `SUM`.
struct ClampedSum: DatabaseAggregate {
    private var total: Int128 = 0
    private var sawValue = false

    init() {}

    mutating func step(_ values: [DatabaseValue]) {
        guard let value = Int64.fromDatabaseValue(values[0]) else { return }
        sawValue = true
        total += Int128(value)
    }

    func finalize() -> (any DatabaseValueConvertible)? {
        guard sawValue else { return nil }
        return Int64(clamping: total)
    }

    /// The function to add to every connection.
    static let function = DatabaseFunction("clamped_sum", argumentCount: 1, pure: true, aggregate: ClampedSum.self)
}
