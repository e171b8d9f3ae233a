/// One sale or one refund, normalised: the `ecom-tax-record/1` schema of the ministry's intake.
///
/// Money is integer đồng, times are whole UTC seconds. ``json`` gives the exact form that is
/// uploaded: every field present, `null` where empty, in the schema's order.
public struct TransactionRecord: Sendable, Hashable {
    /// `<platform>:<kind>:<external_id>`.
    public var recordID: String { "\(platform):\(kind.rawValue):\(externalID)" }
    public var revision: Int
    public var platform: String
    public var kind: RecordKind
    public var externalID: String
    /// For a refund, the external id of its sale.
    public var originalExternalID: String?
    /// The completion time (the tax point).
    public var occurredAt: Timestamp
    /// The Vietnam-time month of ``occurredAt``.
    public var taxPeriod: TaxPeriod { TaxPeriod(containing: occurredAt) }
    public var seller: Seller
    public var currency: String { "VND" }
    public var lines: [Line]
    public var amounts: Amounts
    /// What the platform reports it withheld.
    public var withholding: Withholding
    /// Discrepancy codes the record shows by itself, sorted.
    public var flags: [DiscrepancyCode]
    public var source: RecordSource

    public init(
        revision: Int = 1, platform: String, kind: RecordKind, externalID: String, originalExternalID: String? = nil,
        occurredAt: Timestamp, seller: Seller, lines: [Line], amounts: Amounts, withholding: Withholding,
        flags: [DiscrepancyCode] = [], source: RecordSource
    ) {
        self.revision = revision
        self.platform = platform
        self.kind = kind
        self.externalID = externalID
        self.originalExternalID = originalExternalID
        self.occurredAt = occurredAt
        self.seller = seller
        self.lines = lines
        self.amounts = amounts
        self.withholding = withholding
        self.flags = flags
        self.source = source
    }

    /// Whether any flag holds the record back from upload.
    public var isQuarantined: Bool { flags.contains { $0.quarantines } }

    /// The business groups of the record's lines, without repeats, in schema order.
    public var businessGroups: [BusinessGroup] { Array(Set(lines.map(\.category))).sorted() }
}

/// The seller of a record.
public struct Seller: Sendable, Hashable {
    public var platformSellerID: String
    /// A valid tax code, or an invalid id kept as given.
    public var taxCode: String?
    /// A twelve-digit personal id.
    public var nationalID: String?
    public var name: String
    public var type: SellerType
    public var resident: Bool

    public init(
        platformSellerID: String, taxCode: String?, nationalID: String?, name: String, type: SellerType,
        resident: Bool
    ) {
        self.platformSellerID = platformSellerID
        self.taxCode = taxCode
        self.nationalID = nationalID
        self.name = name
        self.type = type
        self.resident = resident
    }

    /// The seller's tax identity as normalised at ingest.
    public var taxIdentity: TaxIdentity { TaxIdentity(taxCode: taxCode, nationalID: nationalID) }
}

/// One line of a record.
public struct Line: Sendable, Hashable {
    public var sku: String
    public var name: String
    public var category: BusinessGroup
    public var quantity: Int64
    /// The line's total.
    public var amount: Int64

    public init(sku: String, name: String, category: BusinessGroup, quantity: Int64, amount: Int64) {
        self.sku = sku
        self.name = name
        self.category = category
        self.quantity = quantity
        self.amount = amount
    }
}

/// The money of a record, in đồng.
public struct Amounts: Sendable, Hashable {
    public var gross: Int64
    public var sellerDiscount: Int64
    public var platformDiscount: Int64
    public var shippingFee: Int64
    public var buyerPaid: Int64
    public var platformFees: Int64
    /// `gross − seller_discount`.
    public var taxableRevenue: Int64 { gross - sellerDiscount }

    public init(
        gross: Int64, sellerDiscount: Int64, platformDiscount: Int64, shippingFee: Int64, buyerPaid: Int64,
        platformFees: Int64
    ) {
        self.gross = gross
        self.sellerDiscount = sellerDiscount
        self.platformDiscount = platformDiscount
        self.shippingFee = shippingFee
        self.buyerPaid = buyerPaid
        self.platformFees = platformFees
    }

    /// `gross − seller_discount − platform_discount + shipping_fee`, what the buyer should have paid.
    public var expectedBuyerPaid: Int64 { gross - sellerDiscount - platformDiscount + shippingFee }
}

/// VAT and PIT, in đồng.
public struct Withholding: Sendable, Hashable {
    public var vat: Int64
    public var pit: Int64

    public init(vat: Int64, pit: Int64) {
        self.vat = vat
        self.pit = pit
    }

    /// VAT plus PIT.
    public var total: Int64 { vat + pit }
}

/// Which feed carried a revision, and when it arrived.
public struct RecordSource: Sendable, Hashable {
    public var feedID: String
    public var receivedAt: Timestamp

    public init(feedID: String, receivedAt: Timestamp) {
        self.feedID = feedID
        self.receivedAt = receivedAt
    }
}
