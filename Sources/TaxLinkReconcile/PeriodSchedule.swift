import TaxLinkCore
import TaxLinkStore

/// What a platform's schedule 01-1/BK-CNKD-TMĐT for one period should contain, computed from the
/// connector's own records: one row per seller and business group with the net revenue (sales minus
/// refunds completed in the period) and the net withholding the platform reported (split per group in
/// proportion to the expected amounts, as for declarations), with totals per group and overall.
public struct PeriodSchedule: Sendable, Hashable {
    /// One seller and business group.
    public struct Row: Sendable, Hashable {
        public var platformSellerID: String
        public var sellerName: String
        public var taxCode: String?
        public var nationalID: String?
        public var resident: Bool
        public var group: BusinessGroup
        public var revenue: Int64
        public var vat: Int64
        public var pit: Int64
        /// What the rates give on the same records, for comparison.
        public var expectedVAT: Int64
        public var expectedPIT: Int64
        /// VAT plus PIT.
        public var total: Int64 { vat + pit }
    }

    /// The sums of one business group, or of the whole schedule.
    public struct Totals: Sendable, Hashable {
        public var revenue: Int64 = 0
        public var vat: Int64 = 0
        public var pit: Int64 = 0
        public var expectedVAT: Int64 = 0
        public var expectedPIT: Int64 = 0
        public var rows = 0
        public var total: Int64 { vat + pit }

        mutating func add(_ row: Row) {
            revenue += row.revenue
            vat += row.vat
            pit += row.pit
            expectedVAT += row.expectedVAT
            expectedPIT += row.expectedPIT
            rows += 1
        }
    }

    /// The form's name.
    public static let form = "01-1/BK-CNKD-TMĐT"

    public var platform: String
    public var period: TaxPeriod
    /// Sorted by business group, then seller id.
    public var rows: [Row]
    /// Per business group that has rows, in group order.
    public var groupTotals: [(group: BusinessGroup, totals: Totals)]
    public var totals: Totals

    public static func == (lhs: PeriodSchedule, rhs: PeriodSchedule) -> Bool {
        lhs.platform == rhs.platform && lhs.period == rhs.period && lhs.rows == rhs.rows && lhs.totals == rhs.totals
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(platform)
        hasher.combine(period)
        hasher.combine(rows)
    }

    /// Computes the schedule of `platform` for `period` from the latest revision of its records.
    public static func compute(
        storage: any FindingsStorage,
        platform: String,
        period: TaxPeriod,
        rates: RateSchedule = .standard
    ) async throws -> PeriodSchedule {
        let ledger = try await storage.withReconciliationSnapshot { snapshot in
            var ledger = SellerLedger()
            try snapshot.forEachLatestRecord(platform: platform, period: period) { row in
                let record = try RecordRowDecoder.decode(row, names: true)
                ledger.add(record, shares: SellerLedger.shares(of: record, rates: rates))
            }
            return ledger
        }
        return PeriodSchedule(platform: platform, period: period, ledger: ledger)
    }

    init(platform: String, period: TaxPeriod, ledger: SellerLedger) {
        self.platform = platform
        self.period = period
        rows = ledger.figures(platform: platform, period: period).map { sellerID, group, figures in
            Row(
                platformSellerID: sellerID,
                sellerName: figures.sellerName,
                taxCode: figures.taxCode,
                nationalID: figures.nationalID,
                resident: figures.resident,
                group: group,
                revenue: figures.revenue,
                vat: figures.reported.vat,
                pit: figures.reported.pit,
                expectedVAT: figures.expected.vat,
                expectedPIT: figures.expected.pit
            )
        }
        var byGroup: [BusinessGroup: Totals] = [:]
        var totals = Totals()
        for row in rows {
            byGroup[row.group, default: Totals()].add(row)
            totals.add(row)
        }
        groupTotals = byGroup.keys.sorted().map { ($0, byGroup[$0] ?? Totals()) }
        self.totals = totals
    }
}
