/// Whether a record is a sale or a refund.
public enum RecordKind: String, Sendable, Hashable, CaseIterable, Codable {
    case sale
    case refund
}

/// The legal form of a seller, which decides whether the platform withholds tax.
public enum SellerType: String, Sendable, Hashable, CaseIterable, Codable {
    case household
    case individual
    case enterprise

    /// Whether the platform withholds VAT and PIT from this kind of seller (enterprises declare their own).
    public var isWithheld: Bool { self != .enterprise }
}

/// A business group of schedule 01-1/BK, which sets the withholding rates.
public enum BusinessGroup: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case goods
    case services
    case transport
    case other
    case unknown

    /// The group a source names; absent, blank or anything else is ``unknown``.
    public init(sourceValue: String?) {
        self = sourceValue.flatMap { BusinessGroup(rawValue: $0.trimmingWhitespace().lowercased()) } ?? .unknown
    }

    public static func < (lhs: BusinessGroup, rhs: BusinessGroup) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Every discrepancy code of the reconciliation rules.
public enum DiscrepancyCode: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case taxIDMissing = "TAX_ID_MISSING"
    case taxIDInvalid = "TAX_ID_INVALID"
    case amountInvalid = "AMOUNT_INVALID"
    case amountInconsistent = "AMOUNT_INCONSISTENT"
    case withholdingMissing = "WITHHOLDING_MISSING"
    case withholdingMismatch = "WITHHOLDING_MISMATCH"
    case categoryUnknown = "CATEGORY_UNKNOWN"
    case refundOrphan = "REFUND_ORPHAN"
    case refundExceedsSale = "REFUND_EXCEEDS_SALE"
    case lateReport = "LATE_REPORT"
    case futureDated = "FUTURE_DATED"
    case sellerIDConflict = "SELLER_ID_CONFLICT"
    case settlementMissing = "SETTLEMENT_MISSING"
    case settlementMismatch = "SETTLEMENT_MISMATCH"
    case settlementOrphan = "SETTLEMENT_ORPHAN"
    case declarationMissing = "DECLARATION_MISSING"
    case declarationMismatch = "DECLARATION_MISMATCH"
    case ministryRejected = "MINISTRY_REJECTED"
    /// A stored record, declaration or seller that reconciliation could not compute on (an amount or a
    /// sum beyond the range of the schema, or a body that cannot be read): reported instead of stopping.
    case reconcileError = "RECONCILE_ERROR"

    /// Whether a record showing this code is held back from upload.
    public var quarantines: Bool {
        switch self {
        case .taxIDMissing, .taxIDInvalid, .futureDated: true
        default: false
        }
    }

    public static func < (lhs: DiscrepancyCode, rhs: DiscrepancyCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
