import TaxLinkCore

/// An adapter for a JSON platform source: it turns one item of the envelope's array (or one NDJSON
/// line) into a record, a pending order, a return claim or a rejection. Pure: no I/O, no clock.
public protocol JSONItemAdapter: Sendable {
    /// The envelope member that holds the items (`orders`, `returns`).
    var envelopeKey: String { get }

    /// Reads one item; throws ``ItemError`` for a bad one.
    func read(_ item: SourceReader, context: FeedContext) throws(ItemError) -> OrderFeedItem

    /// The item's external id, when it can be read (for rejections).
    func externalID(of item: JSONValue) -> String?
}

extension JSONItemAdapter {
    /// Adapts one item; a bad item becomes a ``Rejection`` naming its position and reason. An item with a
    /// duplicate member name anywhere, or whose record breaks ``TaxLinkCore/RecordLimits``, is refused.
    public func adapt(_ item: JSONValue, at position: ItemPosition, context: FeedContext) -> OrderFeedItem {
        guard case .object = item else {
            return .rejected(
                Rejection(position: position, externalID: nil, reason: "expected an object, found \(item.typeName)"))
        }
        do throws(ItemError) {
            if let path = item.duplicateMemberPath {
                throw ItemError(reason: "\(path): the member name occurs twice in one object")
            }
            let adapted = try read(SourceReader(item, path: ""), context: context)
            if case .record(let result) = adapted { try checkLimits(result.record) }
            return adapted
        } catch {
            return .rejected(
                Rejection(position: position, externalID: externalID(of: item), reason: error.reason, code: error.code))
        }
    }
}

extension JSONValue {
    /// The string or integer at a path of object members.
    func identifier(at path: String...) -> String? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        switch current {
        case .string(let text): return text
        case .number(let literal): return literal
        default: return nil
        }
    }
}

/// Refuses a record that breaks ``TaxLinkCore/RecordLimits`` (an amount or sum beyond the ceiling, an id
/// or name too long or with a control character).
func checkLimits(_ record: TransactionRecord) throws(ItemError) {
    do {
        try record.checkAmounts()
        try record.checkText()
    } catch {
        throw ItemError(error)
    }
}

/// Builds the amounts of a record and rejects impossible ones (seller discount above gross).
func makeAmounts(
    lines: [Line], sellerDiscount: Int64, platformDiscount: Int64, shippingFee: Int64, buyerPaid: Int64,
    platformFees: Int64
) throws(ItemError) -> Amounts {
    guard !lines.isEmpty else { throw ItemError(reason: "the order has no items") }
    let gross = try lines.map(\.amount).checkedSum("gross")
    guard sellerDiscount <= gross else {
        throw ItemError(
            reason: "seller discount \(sellerDiscount) exceeds gross \(gross): taxable revenue would be negative",
            code: .amountInvalid)
    }
    return Amounts(
        gross: gross, sellerDiscount: sellerDiscount, platformDiscount: platformDiscount, shippingFee: shippingFee,
        buyerPaid: buyerPaid, platformFees: platformFees)
}

/// `a × b` for amounts, as an amount error when it leaves ±``TaxLinkCore/VND/maximumMagnitude``.
func multiply(_ a: Int64, _ b: Int64, _ what: String) throws(ItemError) -> Int64 {
    guard let product = VND.product(a, b) else {
        throw ItemError(
            reason: "\(what): the product is beyond the ceiling of \(VND.ceilingDescription)", code: .amountInvalid)
    }
    return product
}

/// `−Σ` of ledger rows charged to the seller; a net credit is not a valid fee or tax.
func charged(_ rows: [Int64], _ what: String) throws(ItemError) -> Int64 {
    let total = try rows.map { -$0 }.checkedSum(what)
    guard total >= 0 else { throw ItemError(reason: "\(what) nets to a credit of \(-total)", code: .amountInvalid) }
    return total
}
