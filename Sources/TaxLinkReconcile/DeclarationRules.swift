import TaxLinkCore
import TaxLinkStore

/// `DECLARATION_MISSING` and `DECLARATION_MISMATCH`: each platform's declaration in force, row by row
/// (seller and business group), against the net figures of its records in the period.
///
/// Revenue, VAT and PIT must each match exactly (`discrepancies.md`: any difference is a mismatch); the
/// declared figures are net, so any of them may be negative. A declared row beyond
/// ±``TaxLinkCore/VND/maximumMagnitude`` (stored before the ceiling existed) becomes `RECONCILE_ERROR`, as
/// do figures whose sums left the range (reported once, by the pass); neither is compared.
enum DeclarationRules {
    private struct RowKey: Hashable, Comparable {
        var sellerID: String
        var group: BusinessGroup

        static func < (lhs: RowKey, rhs: RowKey) -> Bool { (lhs.sellerID, lhs.group) < (rhs.sellerID, rhs.group) }
    }

    static func findings(declarations: [Declaration], ledger: SellerLedger) -> [FindingContent] {
        var findings: [FindingContent] = []
        let all = declarations.isEmpty ? [:] : ledger.byPlatformPeriod()
        for declaration in declarations {
            let context = (platform: declaration.platform, period: declaration.period)
            let entries = all["\(declaration.platform)|\(declaration.period)"] ?? []
            // Keys whose figures left the range are reported by the pass: the same finding is not made twice.
            var unusable = Set(
                entries.filter(\.figures.outOfRange).map { RowKey(sellerID: $0.sellerID, group: $0.group) }
            )
            var declared: [RowKey: Declaration.Row] = [:]
            for row in declaration.rows {
                let key = RowKey(sellerID: row.platformSellerID, group: row.group)
                guard !unusable.contains(key) else { continue }
                guard let summed = sum(declared[key], row) else {
                    unusable.insert(key)
                    declared[key] = nil
                    findings.append(
                        FindingBuilder.reconcileError(
                            platform: context.platform,
                            period: context.period,
                            sellerID: row.platformSellerID,
                            group: row.group,
                            reason: "a declared figure, or a sum of rows, is beyond \(VND.ceilingDescription)"
                        )
                    )
                    continue
                }
                declared[key] = summed
            }
            for (sellerID, group, figures) in entries {
                let key = RowKey(sellerID: sellerID, group: group)
                guard !unusable.contains(key) else { continue }
                if let row = declared.removeValue(forKey: key) {
                    if let finding = compare(row, figures, context: context, taxID: figures.taxID ?? row.taxID) {
                        findings.append(finding)
                    }
                } else {
                    findings.append(
                        FindingBuilder.sellerPeriod(
                            code: .declarationMissing,
                            platform: context.platform,
                            period: context.period,
                            sellerID: sellerID,
                            group: group,
                            taxID: figures.taxID,
                            expected: json(figures),
                            actual: nil,
                            amountAtRisk: max(0, figures.expected.total),
                            detail: "the declaration leaves out a seller and group with \(figures.records) record(s)"
                        )
                    )
                }
            }
            for (_, row) in declared.sorted(by: { $0.key < $1.key }) {
                if let finding = compare(row, SellerLedger.Figures(), context: context, taxID: row.taxID) {
                    findings.append(finding)
                }
            }
        }
        return findings
    }

    private static func compare(
        _ row: Declaration.Row,
        _ figures: SellerLedger.Figures,
        context: (platform: String, period: TaxPeriod),
        taxID: String?
    ) -> FindingContent? {
        let matches =
            row.revenue == figures.revenue && row.vat == figures.reported.vat && row.pit == figures.reported.pit
        guard !matches else { return nil }
        // Every figure is within the ceiling here, so these few sums cannot overflow.
        return FindingBuilder.sellerPeriod(
            code: .declarationMismatch,
            platform: context.platform,
            period: context.period,
            sellerID: row.platformSellerID,
            group: row.group,
            taxID: taxID,
            expected: json(figures),
            actual: .object([
                "revenue": .int(row.revenue), "vat": .int(row.vat), "pit": .int(row.pit),
            ]),
            amountAtRisk: max(0, figures.expected.total - (row.vat + row.pit)),
            detail: "declared figures differ from the records (net expected VAT \(figures.expected.vat), "
                + "PIT \(figures.expected.pit))"
        )
    }

    /// `existing + row` (or `row` alone), or `nil` when a figure of either, or a sum, leaves the range.
    private static func sum(_ existing: Declaration.Row?, _ row: Declaration.Row) -> Declaration.Row? {
        let zero = Declaration.Row(
            platformSellerID: row.platformSellerID,
            sellerName: row.sellerName,
            taxID: row.taxID,
            resident: row.resident,
            group: row.group,
            revenue: 0,
            vat: 0,
            pit: 0
        )
        var result = existing ?? zero
        guard let revenue = VND.sum(result.revenue, row.revenue), let vat = VND.sum(result.vat, row.vat),
            let pit = VND.sum(result.pit, row.pit)
        else { return nil }
        (result.revenue, result.vat, result.pit) = (revenue, vat, pit)
        return result
    }

    /// The records' net revenue and reported withholding.
    private static func json(_ figures: SellerLedger.Figures) -> JSONValue {
        .object([
            "revenue": .int(figures.revenue), "vat": .int(figures.reported.vat), "pit": .int(figures.reported.pit),
        ])
    }
}
