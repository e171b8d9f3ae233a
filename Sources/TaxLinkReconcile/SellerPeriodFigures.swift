import TaxLinkCore
import TaxLinkStore

/// One seller's figures per platform, period and business group — computed from the latest revision of
/// its records as the schedule computes them (net of refunds, withholding split per group) — beside
/// what the platform declared for the seller in each of those periods.
public struct SellerPeriodFigures: Sendable {
    /// Per platform, period (the most recent first) and group.
    public var rows: [DeclarationComparisonRow]
    /// Records, or periods and groups, left out because they cannot be computed on (as in the schedule).
    public var excluded: [PeriodSchedule.Exclusion]

    /// Computes the figures of seller `sellerID` (on `platform` when given) and reads the declaration in
    /// force of each platform and period it has records in.
    public static func compute(
        sellerID: String,
        platform: String?,
        lookup: any RecordLookupStorage,
        rates: RateSchedule = .standard
    ) async throws -> SellerPeriodFigures {
        var ledger = SellerLedger()
        var excluded: [PeriodSchedule.Exclusion] = []
        try await lookup.forEachSellerRecord(sellerID: sellerID, platform: platform) { row in
            do {
                let record = try TransactionRecord(json: JSONParser.parse(Array(row.body.utf8)))
                try record.checkComputable()
                ledger.add(record, shares: SellerLedger.shares(of: record, rates: rates))
            } catch {
                excluded.append(PeriodSchedule.Exclusion(subject: row.recordID, reason: "\(error)"))
            }
        }
        var rows: [DeclarationComparisonRow] = []
        for (key, state) in ledger.sellers.sorted(by: { $0.key < $1.key }) {
            var byPeriod: [TaxPeriod: [DeclarationMatcher.Computed]] = [:]
            for (slot, figures) in state.figures {
                guard !figures.outOfRange else {
                    excluded.append(
                        PeriodSchedule.Exclusion(
                            subject: "\(key.platform) \(slot.period), \(slot.group.rawValue)",
                            reason: "its net figures are beyond the ceiling of \(VND.ceilingDescription)"
                        )
                    )
                    continue
                }
                byPeriod[slot.period, default: []].append(
                    DeclarationMatcher.Computed(
                        sellerID: key.sellerID,
                        group: slot.group,
                        sellerName: figures.sellerName,
                        taxID: figures.taxID,
                        figures: WithheldFigures(
                            revenue: figures.revenue,
                            vat: figures.reported.vat,
                            pit: figures.reported.pit
                        ),
                        expected: figures.expected,
                        records: figures.records
                    )
                )
            }
            for (period, computed) in byPeriod.sorted(by: { $0.key > $1.key }) {
                let declaration = try await lookup.declarationInForce(platform: key.platform, period: period)
                let matched = DeclarationMatcher.rows(
                    platform: key.platform,
                    period: period,
                    computed: computed,
                    declaration: declaration?.declaration,
                    onlySeller: key.sellerID
                )
                rows += matched.rows
                excluded += matched.unsummable.map {
                    PeriodSchedule.Exclusion(
                        subject: "\(key.platform) \(period), \($0)",
                        reason: DeclarationMatcher.unsummableReason
                    )
                }
            }
        }
        return SellerPeriodFigures(rows: rows, excluded: excluded)
    }
}
