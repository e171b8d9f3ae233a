import TaxLinkCore
import TaxLinkStore

/// A platform's computed schedule 01-1/BK-CNKD-TMĐT for one period (``PeriodSchedule``) beside the
/// platform's own declaration in force, row by row (seller and business group), with the differences.
public struct ScheduleComparison: Sendable {
    /// The schedule computed from the connector's records.
    public var schedule: PeriodSchedule
    /// The platform's declaration in force for the period, `nil` when it has not declared it.
    public var declaration: StoredDeclaration?
    /// One row per seller and group on either side, by group then seller id.
    public var rows: [DeclarationComparisonRow]
    /// Declared rows of one seller and group whose sum left the range (the first row is compared).
    public var unsummable: [String]

    /// The rows that do not match (every row when the period is not declared).
    public var differing: [DeclarationComparisonRow] { rows.filter { $0.outcome != .matches } }

    /// Σ of each side's figures (`nil` when a sum leaves the range).
    public var declaredTotals: WithheldFigures? {
        sum(rows.compactMap(\.declared))
    }

    /// Computes the schedule of `platform` for `period` (from the findings store's snapshot, as the
    /// schedule's downloads do) and reads the declaration in force from `lookup`.
    public static func compute(
        storage: any FindingsStorage,
        lookup: any RecordLookupStorage,
        platform: String,
        period: TaxPeriod,
        rates: RateSchedule = .standard
    ) async throws -> ScheduleComparison {
        let schedule = try await PeriodSchedule.compute(
            storage: storage,
            platform: platform,
            period: period,
            rates: rates
        )
        let declaration = try await lookup.declarationInForce(platform: platform, period: period)
        return ScheduleComparison(schedule: schedule, declaration: declaration)
    }

    /// `schedule` beside `declaration`.
    public init(schedule: PeriodSchedule, declaration: StoredDeclaration?) {
        self.schedule = schedule
        self.declaration = declaration
        let computed = schedule.rows.map { row in
            DeclarationMatcher.Computed(
                sellerID: row.platformSellerID,
                group: row.group,
                sellerName: row.sellerName,
                taxID: row.taxCode ?? row.nationalID,
                figures: WithheldFigures(revenue: row.revenue, vat: row.vat, pit: row.pit),
                expected: Withholding(vat: row.expectedVAT, pit: row.expectedPIT),
                records: nil
            )
        }
        (rows, unsummable) = DeclarationMatcher.rows(
            platform: schedule.platform,
            period: schedule.period,
            computed: computed,
            declaration: declaration?.declaration
        )
    }

    private func sum(_ figures: [WithheldFigures]) -> WithheldFigures? {
        var total = WithheldFigures(revenue: 0, vat: 0, pit: 0)
        for figure in figures {
            guard let next = total.adding(figure) else { return nil }
            total = next
        }
        return total
    }
}
