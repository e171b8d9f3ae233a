import TaxLinkCore
import TaxLinkStore

/// What a platform's schedule 01-1/BK-CNKD-TMĐT for one period should contain, computed from the
/// connector's own records: one row per seller and business group with the net revenue (sales minus
/// refunds completed in the period) and the net withholding the platform reported (split per group in
/// proportion to the expected amounts, as for declarations), with totals per group and overall.
public struct PeriodSchedule: Sendable, Hashable {
    /// One seller and business group.
    public struct Row: Sendable, Hashable {
        /// The seller's id on the platform.
        public var platformSellerID: String
        /// The seller's name, as on the latest record.
        public var sellerName: String
        /// The seller's tax code, when it has one.
        public var taxCode: String?
        /// The seller's national id, for an individual without a tax code.
        public var nationalID: String?
        /// Whether the seller is resident (it sets the PIT rate).
        public var resident: Bool
        /// The business group of the row.
        public var group: BusinessGroup
        /// Net revenue in VND: sales minus refunds completed in the period.
        public var revenue: Int64
        /// Net VAT the platform reported withheld, in VND.
        public var vat: Int64
        /// Net PIT the platform reported withheld, in VND.
        public var pit: Int64
        /// What the rates give on the same records, for comparison.
        public var expectedVAT: Int64
        /// What the rates give for PIT on the same records.
        public var expectedPIT: Int64
        /// VAT plus PIT.
        public var total: Int64 { vat + pit }
    }

    /// The sums of one business group, or of the whole schedule.
    public struct Totals: Sendable, Hashable {
        /// Σ net revenue, in VND.
        public var revenue: Int64 = 0
        /// Σ VAT withheld, in VND.
        public var vat: Int64 = 0
        /// Σ PIT withheld, in VND.
        public var pit: Int64 = 0
        /// Σ VAT the rates give, in VND.
        public var expectedVAT: Int64 = 0
        /// Σ PIT the rates give, in VND.
        public var expectedPIT: Int64 = 0
        /// How many rows were summed.
        public var rows = 0
        /// VAT plus PIT.
        public var total: Int64 { vat + pit }

        /// These totals with `row` added, or `nil` when a sum would leave ±``TaxLinkCore/VND/maximumMagnitude``.
        func adding(_ row: Row) -> Totals? {
            guard let revenue = VND.sum(revenue, row.revenue), let vat = VND.sum(vat, row.vat),
                let pit = VND.sum(pit, row.pit), let expectedVAT = VND.sum(expectedVAT, row.expectedVAT),
                let expectedPIT = VND.sum(expectedPIT, row.expectedPIT)
            else { return nil }
            return Totals(
                revenue: revenue,
                vat: vat,
                pit: pit,
                expectedVAT: expectedVAT,
                expectedPIT: expectedPIT,
                rows: rows + 1
            )
        }
    }

    /// A record, or a seller and group, left out of the schedule because it cannot be computed on: an
    /// unreadable record, an amount or net figure beyond ±``TaxLinkCore/VND/maximumMagnitude`` (each also a
    /// `RECONCILE_ERROR` of reconciliation), or a row that would take the totals beyond it.
    public struct Exclusion: Sendable, Hashable {
        /// The record id, or `seller <id>, <group>`.
        public var subject: String
        /// Why it was left out.
        public var reason: String
    }

    /// The form's name.
    public static let form = "01-1/BK-CNKD-TMĐT"

    /// The platform the schedule is for.
    public var platform: String
    /// The tax period the schedule is for.
    public var period: TaxPeriod
    /// Sorted by business group, then seller id.
    public var rows: [Row]
    /// Per business group that has rows, in group order.
    public var groupTotals: [(group: BusinessGroup, totals: Totals)]
    /// The sums of the whole schedule.
    public var totals: Totals
    /// What was left out, in the order found; empty for honest data.
    public var excluded: [Exclusion]

    /// Equal when platform, period, rows, totals and exclusions are (the group totals follow from the rows).
    public static func == (lhs: PeriodSchedule, rhs: PeriodSchedule) -> Bool {
        lhs.platform == rhs.platform && lhs.period == rhs.period && lhs.rows == rhs.rows && lhs.totals == rhs.totals
            && lhs.excluded == rhs.excluded
    }

    /// Hashes platform, period and rows, consistently with ``==``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(platform)
        hasher.combine(period)
        hasher.combine(rows)
    }

    /// Computes the schedule of `platform` for `period` from the latest revision of its records. Records,
    /// net figures and rows that cannot be summed within the ceiling are left out and listed in ``excluded``.
    public static func compute(
        storage: any FindingsStorage,
        platform: String,
        period: TaxPeriod,
        rates: RateSchedule = .standard
    ) async throws -> PeriodSchedule {
        let (ledger, excluded) = try await storage.withReconciliationSnapshot { snapshot in
            var ledger = SellerLedger()
            var excluded: [Exclusion] = []
            try snapshot.forEachLatestRecord(platform: platform, period: period) { row, body in
                do {
                    let record = try RecordRowDecoder.decode(row, body: body, names: true)
                    try record.checkComputable()
                    ledger.add(record, shares: SellerLedger.shares(of: record, rates: rates))
                } catch {
                    let recordID = "\(row.platform):\(row.kind.rawValue):\(row.externalID)"
                    excluded.append(Exclusion(subject: recordID, reason: "\(error)"))
                }
            }
            return (ledger, excluded)
        }
        return PeriodSchedule(platform: platform, period: period, ledger: ledger, excluded: excluded)
    }

    init(platform: String, period: TaxPeriod, ledger: SellerLedger, excluded: [Exclusion]) {
        self.platform = platform
        self.period = period
        var excluded = excluded
        let entries = ledger.figures(platform: platform, period: period).filter { sellerID, group, figures in
            guard figures.outOfRange else { return true }
            excluded.append(
                Exclusion(
                    subject: "seller \(sellerID), \(group.rawValue)",
                    reason: "its net figures are beyond the ceiling of \(VND.ceilingDescription)"
                )
            )
            return false
        }
        let candidates = entries.map { sellerID, group, figures in
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
        // Rows are summed in order; one that would take a total beyond the ceiling is left out and listed.
        var rows: [Row] = []
        var byGroup: [BusinessGroup: Totals] = [:]
        var totals = Totals()
        for row in candidates {
            guard let groupTotals = byGroup[row.group, default: Totals()].adding(row),
                let allTotals = totals.adding(row)
            else {
                excluded.append(
                    Exclusion(
                        subject: "seller \(row.platformSellerID), \(row.group.rawValue)",
                        reason: "adding it would take the schedule's totals beyond \(VND.ceilingDescription)"
                    )
                )
                continue
            }
            rows.append(row)
            byGroup[row.group] = groupTotals
            totals = allTotals
        }
        self.rows = rows
        self.excluded = excluded
        groupTotals = byGroup.keys.sorted().map { ($0, byGroup[$0] ?? Totals()) }
        self.totals = totals
    }
}
