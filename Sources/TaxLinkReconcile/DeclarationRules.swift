import TaxLinkCore
import TaxLinkStore

/// `DECLARATION_MISSING` and `DECLARATION_MISMATCH`: each platform's declaration in force, row by row
/// (seller and business group), against the net figures of its records in the period.
///
/// Revenue must match exactly; declared VAT and PIT each match the net reported withholding (split per
/// group) within 1 đồng, the tolerance of one business group.
enum DeclarationRules {
    static let tolerance: Int64 = 1

    private struct RowKey: Hashable, Comparable {
        var sellerID: String
        var group: BusinessGroup

        static func < (lhs: RowKey, rhs: RowKey) -> Bool { (lhs.sellerID, lhs.group) < (rhs.sellerID, rhs.group) }
    }

    static func findings(declarations: [Declaration], ledger: SellerLedger) -> [FindingContent] {
        var findings: [FindingContent] = []
        let all = declarations.isEmpty ? [:] : ledger.byPlatformPeriod()
        for declaration in declarations {
            var declared: [RowKey: Declaration.Row] = [:]
            for row in declaration.rows {
                let key = RowKey(sellerID: row.platformSellerID, group: row.group)
                if var existing = declared[key] {
                    existing.revenue += row.revenue
                    existing.vat += row.vat
                    existing.pit += row.pit
                    declared[key] = existing
                } else {
                    declared[key] = row
                }
            }
            let context = (platform: declaration.platform, period: declaration.period)
            for (sellerID, group, figures) in all["\(declaration.platform)|\(declaration.period)"] ?? [] {
                if let row = declared.removeValue(forKey: RowKey(sellerID: sellerID, group: group)) {
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
            row.revenue == figures.revenue && abs(row.vat - figures.reported.vat) <= tolerance
            && abs(row.pit - figures.reported.pit) <= tolerance
        guard !matches else { return nil }
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

    /// The records' net revenue and reported withholding.
    private static func json(_ figures: SellerLedger.Figures) -> JSONValue {
        .object([
            "revenue": .int(figures.revenue), "vat": .int(figures.reported.vat), "pit": .int(figures.reported.pit),
        ])
    }
}
