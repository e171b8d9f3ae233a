import TaxLinkCore

/// What reconciliation needs of a record beyond its identity columns, kept in narrow columns beside the
/// canonical body (computed once at ingest, backfilled from the body for records stored before), so a
/// reconciliation reads these and never parses the body.
///
/// Everything of the record that a rule reads is here: the seller's tax identity, type and residence,
/// every amount, the reported withholding, and each line's business group, amount and quantity (the
/// discount is allocated per line, so per-group sums would not give the same shares). Names and SKUs are
/// not: no rule reads them.
public struct RecordFacts: Sendable, Hashable {
    /// One line as reconciliation sees it.
    public struct LineFact: Sendable, Hashable {
        /// The line's business group.
        public var category: BusinessGroup
        /// The line's amount.
        public var amount: Int64
        /// The line's quantity.
        public var quantity: Int64

        /// Every field, as named.
        public init(category: BusinessGroup, amount: Int64, quantity: Int64) {
            self.category = category
            self.amount = amount
            self.quantity = quantity
        }
    }

    /// The seller's type.
    public var sellerType: SellerType
    /// Whether the seller is resident.
    public var resident: Bool
    /// The seller's tax code, as the record carries it.
    public var taxCode: String?
    /// The seller's 12-digit personal id, as the record carries it.
    public var nationalID: String?
    /// Every amount of the record.
    public var amounts: Amounts
    /// The withholding the platform reported.
    public var withholding: Withholding
    /// The lines, in record order.
    public var lines: [LineFact]

    /// Every field, as named.
    public init(
        sellerType: SellerType,
        resident: Bool,
        taxCode: String?,
        nationalID: String?,
        amounts: Amounts,
        withholding: Withholding,
        lines: [LineFact]
    ) {
        self.sellerType = sellerType
        self.resident = resident
        self.taxCode = taxCode
        self.nationalID = nationalID
        self.amounts = amounts
        self.withholding = withholding
        self.lines = lines
    }

    /// The facts of `record`.
    public init(_ record: TransactionRecord) {
        self.init(
            sellerType: record.seller.type,
            resident: record.seller.resident,
            taxCode: record.seller.taxCode,
            nationalID: record.seller.nationalID,
            amounts: record.amounts,
            withholding: record.withholding,
            lines: record.lines.map { LineFact(category: $0.category, amount: $0.amount, quantity: $0.quantity) }
        )
    }

    /// The `line_facts` column: `category:amount:quantity` per line, comma separated, in record order
    /// (the backfill migrations build the same text from the body).
    var linesText: String {
        lines.map { "\($0.category.rawValue):\($0.amount):\($0.quantity)" }.joined(separator: ",")
    }

    /// The lines of a `line_facts` column, or `nil` when it is malformed.
    static func lines(_ text: String) -> [LineFact]? {
        guard !text.isEmpty else { return [] }
        var lines: [LineFact] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 3, let category = BusinessGroup(rawValue: String(fields[0])),
                let amount = Int64(fields[1]), let quantity = Int64(fields[2])
            else { return nil }
            lines.append(LineFact(category: category, amount: amount, quantity: quantity))
        }
        return lines
    }
}

/// The narrow columns of ``RecordFacts`` as one store row holds them, before they are checked.
struct RecordFactColumns {
    var sellerType: String?
    var resident: Bool?
    var taxCode: String?
    var nationalID: String?
    var gross: Int64?
    var sellerDiscount: Int64?
    var platformDiscount: Int64?
    var shippingFee: Int64?
    var buyerPaid: Int64?
    var platformFees: Int64?
    var vat: Int64?
    var pit: Int64?
    var lines: String?

    /// The column names, in the order the stores select and insert them.
    static let names = [
        "seller_type", "seller_resident", "seller_tax_code", "seller_national_id", "gross", "seller_discount",
        "platform_discount", "shipping_fee", "buyer_paid", "platform_fees", "withheld_vat", "withheld_pit",
        "line_facts",
    ]

    /// ``names`` joined by commas, for SQL.
    static let list = names.joined(separator: ", ")

    /// The facts, or `nil` when a column is missing or malformed (reconciliation reports such a record).
    var facts: RecordFacts? {
        guard let type = sellerType.flatMap(SellerType.init(rawValue:)), let resident, let gross, let sellerDiscount,
            let platformDiscount, let shippingFee, let buyerPaid, let platformFees, let vat, let pit,
            let lines = lines.flatMap(RecordFacts.lines)
        else { return nil }
        return RecordFacts(
            sellerType: type,
            resident: resident,
            taxCode: taxCode,
            nationalID: nationalID,
            amounts: Amounts(
                gross: gross,
                sellerDiscount: sellerDiscount,
                platformDiscount: platformDiscount,
                shippingFee: shippingFee,
                buyerPaid: buyerPaid,
                platformFees: platformFees
            ),
            withholding: Withholding(vat: vat, pit: pit),
            lines: lines
        )
    }
}
