import TaxLinkCore
import TaxLinkStore

/// Decodes the fields of a stored record that reconciliation needs, straight from its canonical bytes.
///
/// The result is a ``TaxLinkCore/TransactionRecord`` whose SKUs, names and feed id are empty unless
/// `names` is set: ``TaxLinkCore/RecordAssessment`` and ``TaxLinkCore/ExpectedWithholding`` never look at
/// them, so the codes and amounts are exactly those of a full decode. Identity, times and flags come from
/// the row's columns, which ingest wrote from the same record.
enum RecordRowDecoder {
    /// The record of `row` whose canonical JSON is `body` (as a snapshot lends it).
    static func decode(
        _ row: LatestRecordRow,
        body: Span<UInt8>,
        names: Bool = false
    ) throws(ReconcileError) -> TransactionRecord {
        try body.withUnsafeBufferPointer { (bytes) throws(ReconcileError) in
            var scanner = JSONScanner(bytes)
            return try decode(row, &scanner, names: names)
        }
    }

    private static func decode(
        _ row: LatestRecordRow,
        _ scanner: inout JSONScanner,
        names: Bool
    ) throws(ReconcileError) -> TransactionRecord {
        var seller = Seller(
            platformSellerID: row.sellerID,
            taxCode: nil,
            nationalID: nil,
            name: "",
            type: .household,
            resident: true
        )
        var lines: [Line] = []
        var amounts = Amounts(
            gross: 0,
            sellerDiscount: 0,
            platformDiscount: 0,
            shippingFee: 0,
            buyerPaid: 0,
            platformFees: 0
        )
        var withholding = Withholding(vat: 0, pit: 0)
        // Only four members matter; the rest (the identity, flags and source repeat the row's columns) is
        // not read once those four are.
        var needed = 4
        try scanner.beginObject()
        while needed > 0, let key = try scanner.nextMember() {
            switch key {
            case "seller":
                needed -= 1
                try decodeSeller(&scanner, into: &seller, names: names)
            case "lines":
                needed -= 1
                try scanner.beginArray()
                while try scanner.nextElement() { lines.append(try decodeLine(&scanner, names: names)) }
            case "amounts":
                needed -= 1
                try decodeAmounts(&scanner, into: &amounts)
            case "withholding":
                needed -= 1
                try scanner.beginObject()
                while let key = try scanner.nextMember() {
                    switch key {
                    case "vat": withholding.vat = try scanner.integer()
                    case "pit": withholding.pit = try scanner.integer()
                    default: try scanner.skipValue()
                    }
                }
            default: try scanner.skipValue()
            }
        }
        return record(row, seller: seller, lines: lines, amounts: amounts, withholding: withholding)
    }

    /// The record of `row` whose narrow columns are `facts` (what reconciliation reads): the same
    /// ``TaxLinkCore/TransactionRecord`` as ``decode(_:body:names:)`` gives without names.
    static func record(_ row: LatestRecordRow, facts: RecordFacts) -> TransactionRecord {
        record(
            row,
            seller: Seller(
                platformSellerID: row.sellerID,
                taxCode: facts.taxCode,
                nationalID: facts.nationalID,
                name: "",
                type: facts.sellerType,
                resident: facts.resident
            ),
            lines: facts.lines.map { Line(sku: "", name: "", category: $0.category, quantity: $0.quantity, amount: $0.amount) },
            amounts: facts.amounts,
            withholding: facts.withholding
        )
    }

    /// The record of `row`'s identity columns (with no feed id) and the given parts.
    private static func record(
        _ row: LatestRecordRow,
        seller: Seller,
        lines: [Line],
        amounts: Amounts,
        withholding: Withholding
    ) -> TransactionRecord {
        TransactionRecord(
            revision: row.revision,
            platform: row.platform,
            kind: row.kind,
            externalID: row.externalID,
            originalExternalID: row.originalExternalID,
            occurredAt: row.occurredAt,
            seller: seller,
            lines: lines,
            amounts: amounts,
            withholding: withholding,
            flags: flags(row.flags),
            source: RecordSource(feedID: "", receivedAt: row.receivedAt)
        )
    }

    /// The record of `row` and its narrow columns, or the reason it cannot be reconciled: a column
    /// missing or malformed, or amounts or times beyond ``TaxLinkCore/RecordLimits``.
    static func computable(_ row: LatestRecordRow, facts: RecordFacts?) throws -> TransactionRecord {
        guard let facts else { throw ReconcileError.corruptRecord("its reconciliation columns are missing or malformed") }
        let record = record(row, facts: facts)
        try record.checkComputable()
        return record
    }

    /// The codes of a `flags` column.
    static func flags(_ text: String) -> [DiscrepancyCode] {
        text.isEmpty ? [] : text.split(separator: ",").compactMap { DiscrepancyCode(rawValue: String($0)) }
    }

    private static func decodeSeller(
        _ scanner: inout JSONScanner,
        into seller: inout Seller,
        names: Bool
    ) throws(ReconcileError) {
        try scanner.beginObject()
        while let key = try scanner.nextMember() {
            switch key {
            case "tax_code": seller.taxCode = try scanner.optionalString()
            case "national_id": seller.nationalID = try scanner.optionalString()
            case "name" where names: seller.name = try scanner.string()
            case "type":
                let text = try scanner.stringKey()
                switch text {
                case "household": seller.type = .household
                case "individual": seller.type = .individual
                case "enterprise": seller.type = .enterprise
                default: throw .corruptRecord("unknown seller type \(text.text)")
                }
            case "resident": seller.resident = try scanner.bool()
            default: try scanner.skipValue()
            }
        }
    }

    private static func decodeLine(_ scanner: inout JSONScanner, names: Bool) throws(ReconcileError) -> Line {
        var line = Line(sku: "", name: "", category: .unknown, quantity: 1, amount: 0)
        try scanner.beginObject()
        while let key = try scanner.nextMember() {
            switch key {
            case "category":
                let text = try scanner.stringKey()
                switch text {
                case "goods": line.category = .goods
                case "services": line.category = .services
                case "transport": line.category = .transport
                case "other": line.category = .other
                case "unknown": line.category = .unknown
                default: throw .corruptRecord("unknown category \(text.text)")
                }
            case "amount": line.amount = try scanner.integer()
            case "quantity": line.quantity = try scanner.integer()
            case "sku" where names: line.sku = try scanner.string()
            case "name" where names: line.name = try scanner.string()
            default: try scanner.skipValue()
            }
        }
        return line
    }

    private static func decodeAmounts(_ scanner: inout JSONScanner, into amounts: inout Amounts) throws(ReconcileError)
    {
        try scanner.beginObject()
        while let key = try scanner.nextMember() {
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
