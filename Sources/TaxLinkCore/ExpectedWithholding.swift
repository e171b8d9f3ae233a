/// The withholding a record should carry, per the rules of `discrepancies.md`.
public struct ExpectedWithholding: Sendable, Hashable {
    /// Each business group's taxable revenue and expected taxes, in group order.
    public var groups: [GroupShare]

    /// One business group's part of a record.
    public struct GroupShare: Sendable, Hashable {
        public var group: BusinessGroup
        /// The group's share of `taxable_revenue`.
        public var revenue: Int64
        public var vat: Int64
        public var pit: Int64
    }

    /// Total expected VAT.
    public var vat: Int64 { groups.reduce(0) { $0 + $1.vat } }
    /// Total expected PIT.
    public var pit: Int64 { groups.reduce(0) { $0 + $1.pit } }
    /// Expected VAT plus PIT.
    public var total: Int64 { vat + pit }
    /// The tolerance: 1 đồng per business group of the record.
    public var tolerance: Int64 { Int64(groups.count) }

    /// Withholding of the given group shares (none: nothing expected, for a record that is not assessed).
    init(groups: [GroupShare]) {
        self.groups = groups
    }

    /// Computes the expected withholding of `record` under `schedule`: the seller discount is spread
    /// over the lines in proportion to their amounts (shares rounded down, the remainder to the largest
    /// line, the first of equals), each group's revenue is taxed at its rate (rounded half up) and
    /// enterprises expect nothing.
    public init(record: TransactionRecord, schedule: RateSchedule = .standard) {
        let table = schedule.table(at: record.occurredAt)
        let discounts = Allocation.proportional(
            total: record.amounts.sellerDiscount, weights: record.lines.map(\.amount)
        )
        var revenueByGroup: [BusinessGroup: Int64] = [:]
        for (line, discount) in zip(record.lines, discounts) {
            revenueByGroup[line.category, default: 0] += line.amount - discount
        }
        let withheld = record.seller.type.isWithheld
        groups = revenueByGroup.keys.sorted().map { group in
            let revenue = revenueByGroup[group]!
            let rates = table.rates(for: group)
            return GroupShare(
                group: group,
                revenue: revenue,
                vat: withheld ? Allocation.applyRate(revenue, basisPoints: rates.vat) : 0,
                pit: withheld ? Allocation.applyRate(revenue, basisPoints: rates.pit(resident: record.seller.resident)) : 0
            )
        }
    }

    /// Whether `reported` VAT and PIT are each within the tolerance of the expected amounts.
    public func matches(_ reported: Withholding) -> Bool {
        abs(reported.vat - vat) <= tolerance && abs(reported.pit - pit) <= tolerance
    }

    /// The reported withholding split across the groups in proportion to their expected amounts.
    public func split(_ reported: Withholding) -> [BusinessGroup: Withholding] {
        let vats = Allocation.proportional(total: reported.vat, weights: groups.map(\.vat))
        let pits = Allocation.proportional(total: reported.pit, weights: groups.map(\.pit))
        var result: [BusinessGroup: Withholding] = [:]
        for (index, share) in groups.enumerated() {
            result[share.group] = Withholding(vat: vats[index], pit: pits[index])
        }
        return result
    }
}

/// Integer arithmetic on đồng that never overflows silently and never uses floating point.
public enum Allocation {
    /// Splits `total` in proportion to `weights`: each share rounded down, the remainder to the largest
    /// weight (the first of equals). With all weights zero, everything goes to the first.
    public static func proportional(total: Int64, weights: [Int64]) -> [Int64] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.reduce(0, +)
        var shares: [Int64]
        if sum > 0 {
            shares = weights.map { mulDiv($0, total, sum) }
        } else {
            shares = Array(repeating: 0, count: weights.count)
        }
        let remainder = total - shares.reduce(0, +)
        var largest = 0
        for index in weights.indices where weights[index] > weights[largest] { largest = index }
        shares[largest] += remainder
        return shares
    }

    /// `amount × basisPoints / 10 000`, rounded half up.
    public static func applyRate(_ amount: Int64, basisPoints: Int64) -> Int64 {
        let product = amount.multipliedFullWidth(by: basisPoints)
        let (quotient, remainder) = Int64(10_000).dividingFullWidth(product)
        return remainder * 2 >= 10_000 ? quotient + 1 : quotient
    }

    /// `a × b / c` rounded down, without intermediate overflow (for non-negative operands).
    public static func mulDiv(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        let product = a.multipliedFullWidth(by: b)
        return c.dividingFullWidth(product).quotient
    }
}
