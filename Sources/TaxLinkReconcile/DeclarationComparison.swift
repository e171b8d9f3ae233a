import TaxLinkCore
import TaxLinkStore

/// Revenue, VAT and PIT of one seller and business group in one period: as computed from the records,
/// or as a platform declared them.
public struct WithheldFigures: Sendable, Hashable {
    /// Net revenue, in VND.
    public var revenue: Int64
    /// Net VAT withheld, in VND.
    public var vat: Int64
    /// Net PIT withheld, in VND.
    public var pit: Int64

    /// Every figure, as named.
    public init(revenue: Int64, vat: Int64, pit: Int64) {
        self.revenue = revenue
        self.vat = vat
        self.pit = pit
    }

    /// VAT plus PIT, or `nil` beyond ±``TaxLinkCore/VND/maximumMagnitude``.
    public var total: Int64? { VND.sum(vat, pit) }

    /// These figures with `other` added, or `nil` when a sum leaves the range.
    func adding(_ other: WithheldFigures) -> WithheldFigures? {
        guard let revenue = VND.sum(revenue, other.revenue), let vat = VND.sum(vat, other.vat),
            let pit = VND.sum(pit, other.pit)
        else { return nil }
        return WithheldFigures(revenue: revenue, vat: vat, pit: pit)
    }
}

/// One seller and business group of a period: the figures computed from the connector's records beside
/// those the platform declared, and which of them differ.
public struct DeclarationComparisonRow: Sendable, Hashable {
    /// How the two sides compare.
    public enum Outcome: String, Sendable, Hashable {
        /// Declared exactly as computed.
        case matches
        /// Declared, and at least one figure differs.
        case differs
        /// The declaration in force leaves out a seller and group that has records (`DECLARATION_MISSING`).
        case notDeclared = "not_declared"
        /// Declared, but the connector has no record of it.
        case notInRecords = "not_in_records"
        /// The platform has not declared the period at all.
        case noDeclaration = "no_declaration"
    }

    /// A figure of the row.
    public enum Figure: String, Sendable, Hashable, CaseIterable {
        case revenue, vat, pit
    }

    /// The platform.
    public var platform: String
    /// The tax period.
    public var period: TaxPeriod
    /// The seller's id on the platform.
    public var platformSellerID: String
    /// The business group.
    public var group: BusinessGroup
    /// The seller's name: as on its latest record, else as declared.
    public var sellerName: String
    /// The seller's tax id: as on its latest record, else as declared.
    public var taxID: String?
    /// From the records (reported withholding); `nil` when the seller and group have none in the period.
    public var computed: WithheldFigures?
    /// What the rates give on the same records (`nil` with ``computed``).
    public var expected: Withholding?
    /// As declared; `nil` when not declared.
    public var declared: WithheldFigures?
    /// How many records the computed figures come from, when counted (the seller view counts them).
    public var records: Int?

    /// How the two sides compare.
    public var outcome: Outcome {
        guard let declared else { return computed == nil ? .noDeclaration : .notDeclared }
        guard let computed else { return .notInRecords }
        return computed == declared ? .matches : .differs
    }

    /// The figures that differ between the two sides (every figure when one side is missing).
    public var differing: [Figure] {
        guard let computed, let declared else { return Figure.allCases }
        return Figure.allCases.filter { figure in
            switch figure {
            case .revenue: computed.revenue != declared.revenue
            case .vat: computed.vat != declared.vat
            case .pit: computed.pit != declared.pit
            }
        }
    }

    /// Declared minus computed of `figure`, when both sides have it and the difference is in range.
    public func difference(_ figure: Figure) -> Int64? {
        guard let computed, let declared else { return nil }
        return switch figure {
        case .revenue: VND.difference(declared.revenue, computed.revenue)
        case .vat: VND.difference(declared.vat, computed.vat)
        case .pit: VND.difference(declared.pit, computed.pit)
        }
    }
}

/// Sets declared rows beside computed ones, by seller and business group.
enum DeclarationMatcher {
    /// Why declared rows of one seller and group were not summed.
    static let unsummableReason = "the declared rows of this seller and group sum beyond \(VND.ceilingDescription)"

    /// A computed seller and group.
    struct Computed {
        var sellerID: String
        var group: BusinessGroup
        var sellerName: String
        var taxID: String?
        var figures: WithheldFigures
        var expected: Withholding
        var records: Int?
    }

    /// One row per seller and group found on either side, sorted by group then seller id. `declaration`
    /// `nil` means the period is not declared; declared rows of one seller and group are summed (a sum
    /// beyond the range keeps the first row and is listed in the second result).
    static func rows(
        platform: String,
        period: TaxPeriod,
        computed: [Computed],
        declaration: Declaration?,
        onlySeller: String? = nil
    ) -> (rows: [DeclarationComparisonRow], unsummable: [String]) {
        struct Key: Hashable { var seller: String, group: BusinessGroup }
        var declared: [Key: (row: Declaration.Row, figures: WithheldFigures)] = [:]
        var unsummable: [String] = []
        for row in declaration?.rows ?? [] where onlySeller == nil || row.platformSellerID == onlySeller {
            let key = Key(seller: row.platformSellerID, group: row.group)
            let figures = WithheldFigures(revenue: row.revenue, vat: row.vat, pit: row.pit)
            guard let existing = declared[key] else {
                declared[key] = (row, figures)
                continue
            }
            if let sum = existing.figures.adding(figures) {
                declared[key] = (existing.row, sum)
            } else {
                unsummable.append("seller \(row.platformSellerID), \(row.group.rawValue)")
            }
        }
        var rows: [DeclarationComparisonRow] = []
        for entry in computed {
            let side = declared.removeValue(forKey: Key(seller: entry.sellerID, group: entry.group))
            rows.append(
                DeclarationComparisonRow(
                    platform: platform,
                    period: period,
                    platformSellerID: entry.sellerID,
                    group: entry.group,
                    sellerName: entry.sellerName.isEmpty ? (side?.row.sellerName ?? "") : entry.sellerName,
                    taxID: entry.taxID ?? side?.row.taxID,
                    computed: entry.figures,
                    expected: entry.expected,
                    declared: declaration == nil ? nil : side?.figures,
                    records: entry.records
                )
            )
        }
        for (key, side) in declared {
            rows.append(
                DeclarationComparisonRow(
                    platform: platform,
                    period: period,
                    platformSellerID: key.seller,
                    group: key.group,
                    sellerName: side.row.sellerName,
                    taxID: side.row.taxID,
                    computed: nil,
                    expected: nil,
                    declared: side.figures,
                    records: 0
                )
            )
        }
        rows.sort { ($0.group, $0.platformSellerID) < ($1.group, $1.platformSellerID) }
        return (rows, unsummable)
    }
}
