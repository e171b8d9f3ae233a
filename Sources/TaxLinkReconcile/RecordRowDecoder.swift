import TaxLinkCore
import TaxLinkStore

/// Decodes the fields of a stored record that reconciliation needs, straight from its canonical bytes.
///
/// The result is a ``TaxLinkCore/TransactionRecord`` whose SKUs, names and feed id are empty unless
/// `names` is set: ``TaxLinkCore/RecordAssessment`` and ``TaxLinkCore/ExpectedWithholding`` never look at
/// them, so the codes and amounts are exactly those of a full decode.
enum RecordRowDecoder {
    static func decode(_ row: LatestRecordRow, names: Bool = false) throws(ReconcileError) -> TransactionRecord {
        var scanner = JSONScanner(row.body)
        var seller = Seller(
            platformSellerID: row.sellerID, taxCode: nil, nationalID: nil, name: "", type: .household, resident: true)
        var lines: [Line] = []
        var amounts = Amounts(gross: 0, sellerDiscount: 0, platformDiscount: 0, shippingFee: 0, buyerPaid: 0, platformFees: 0)
        var withholding = Withholding(vat: 0, pit: 0)
        try scanner.forEachMember { (scanner, key) throws(ReconcileError) in
            switch key {
            case "seller": try decodeSeller(&scanner, into: &seller, names: names)
            case "lines":
                try scanner.forEachElement { (scanner) throws(ReconcileError) in
                    lines.append(try decodeLine(&scanner, names: names))
                }
            case "amounts": try decodeAmounts(&scanner, into: &amounts)
            case "withholding":
                try scanner.forEachMember { (scanner, key) throws(ReconcileError) in
                    switch key {
                    case "vat": withholding.vat = try scanner.integer()
                    case "pit": withholding.pit = try scanner.integer()
                    default: try scanner.skipValue()
                    }
                }
            default: try scanner.skipValue()
            }
        }
        return TransactionRecord(
            revision: row.revision, platform: row.platform, kind: row.kind, externalID: row.externalID,
            originalExternalID: row.originalExternalID, occurredAt: row.occurredAt, seller: seller, lines: lines,
            amounts: amounts, withholding: withholding, flags: flags(row.flags),
            source: RecordSource(feedID: "", receivedAt: row.receivedAt))
    }

    /// The codes of a `flags` column.
    static func flags(_ text: String) -> [DiscrepancyCode] {
        text.isEmpty ? [] : text.split(separator: ",").compactMap { DiscrepancyCode(rawValue: String($0)) }
    }

    private static func decodeSeller(
        _ scanner: inout JSONScanner, into seller: inout Seller, names: Bool
    ) throws(ReconcileError) {
        try scanner.forEachMember { (scanner, key) throws(ReconcileError) in
            switch key {
            case "tax_code": seller.taxCode = try scanner.optionalString()
            case "national_id": seller.nationalID = try scanner.optionalString()
            case "name" where names: seller.name = try scanner.string()
            case "type":
                let text = try scanner.string()
                guard let type = SellerType(rawValue: text) else { throw .corruptRecord("unknown seller type \(text)") }
                seller.type = type
            case "resident": seller.resident = try scanner.bool()
            default: try scanner.skipValue()
            }
        }
    }

    private static func decodeLine(_ scanner: inout JSONScanner, names: Bool) throws(ReconcileError) -> Line {
        var line = Line(sku: "", name: "", category: .unknown, quantity: 1, amount: 0)
        try scanner.forEachMember { (scanner, key) throws(ReconcileError) in
            switch key {
            case "category":
                let text = try scanner.string()
                guard let group = BusinessGroup(rawValue: text) else { throw .corruptRecord("unknown category \(text)") }
                line.category = group
            case "amount": line.amount = try scanner.integer()
            case "quantity": line.quantity = try scanner.integer()
            case "sku" where names: line.sku = try scanner.string()
            case "name" where names: line.name = try scanner.string()
            default: try scanner.skipValue()
            }
        }
        return line
    }

    private static func decodeAmounts(_ scanner: inout JSONScanner, into amounts: inout Amounts) throws(ReconcileError) {
        try scanner.forEachMember { (scanner, key) throws(ReconcileError) in
            switch key {
            case "gross": amounts.gross = try scanner.integer()
            case "seller_discount": amounts.sellerDiscount = try scanner.integer()
            case "platform_discount": amounts.platformDiscount = try scanner.integer()
            case "shipping_fee": amounts.shippingFee = try scanner.integer()
            case "buyer_paid": amounts.buyerPaid = try scanner.integer()
            case "platform_fees": amounts.platformFees = try scanner.integer()
            default: try scanner.skipValue()
            }
        }
    }
}
