/// The limits `ecom-tax-record/1` puts on a record beyond its types: the length and characters of its
/// ids and names, and the range of its amounts (``VND/maximumMagnitude``).
///
/// Adapters refuse an item that breaks them; reconciliation refuses a stored record that breaks them
/// (it may predate a limit) with a `RECONCILE_ERROR` finding instead of computing on it. The same
/// numbers are in `contracts/ecom-tax-record-1.schema.json` (`maxLength`, `pattern`, `maximum`).
public enum RecordLimits {
    /// The longest id (order, return, seller, item, SKU, tax id, platform), in Unicode scalars.
    public static let maximumIdentifierLength = 128
    /// The longest name (seller, shop, item), in Unicode scalars.
    public static let maximumNameLength = 512

    /// Checks an id: at most ``maximumIdentifierLength`` scalars, no control character.
    public static func checkIdentifier(_ text: String, field: String) throws(RecordLimitError) {
        try check(text, field: field, maximumLength: maximumIdentifierLength)
    }

    /// Checks a name: at most ``maximumNameLength`` scalars, no control character.
    public static func checkName(_ text: String, field: String) throws(RecordLimitError) {
        try check(text, field: field, maximumLength: maximumNameLength)
    }

    /// Checks an amount: within ±``VND/maximumMagnitude``.
    public static func checkAmount(_ amount: Int64, field: String) throws(RecordLimitError) {
        guard VND.isWithinRange(amount) else { throw .amountOutOfRange(field, amount) }
    }

    /// The longest text a rejection or an error repeats back from a feed (a reason, an external id).
    public static let maximumEchoLength = 256

    /// `text` as it may be repeated back to a sender or an operator: at most `maximumLength` scalars
    /// (the rest replaced by "…") and every control character written as `U+XXXX`, so a hostile value
    /// can neither grow an answer nor break the line it is printed on.
    public static func echo(_ text: some StringProtocol, maximumLength: Int = maximumEchoLength) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < maximumLength else {
                result += "…"
                break
            }
            count += 1
            if isControl(scalar) {
                result += codePoint(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `scalar` as `U+XXXX`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Whether `scalar` is a control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func check(_ text: String, field: String, maximumLength: Int) throws(RecordLimitError) {
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            guard count <= maximumLength else { throw .tooLong(field, maximumLength) }
            guard !isControl(scalar) else { throw .controlCharacter(field, scalar) }
        }
    }
}

/// A value that breaks one of the ``RecordLimits``.
public struct RecordLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case amountOutOfRange
        case timeOutOfRange
        case tooLong
        case controlCharacter
    }

    private let code: Code
    /// What is wrong, naming the field.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// An amount or sum beyond ±``VND/maximumMagnitude``.
    static func amountOutOfRange(_ field: String, _ amount: Int64?) -> RecordLimitError {
        let value = amount.map { " \($0)" } ?? ""
        return RecordLimitError(
            .amountOutOfRange,
            "\(field):\(value) is beyond the ceiling of \(VND.ceilingDescription)"
        )
    }

    static func timeOutOfRange(_ field: String, _ seconds: Int64) -> RecordLimitError {
        RecordLimitError(.timeOutOfRange, "\(field): \(seconds) seconds is outside the years 1 to 9999")
    }

    static func negativeAmount(_ field: String, _ amount: Int64) -> RecordLimitError {
        RecordLimitError(.amountOutOfRange, "\(field): \(amount) is negative")
    }

    static func tooLong(_ field: String, _ maximum: Int) -> RecordLimitError {
        RecordLimitError(.tooLong, "\(field): longer than \(maximum) characters")
    }

    static func controlCharacter(_ field: String, _ scalar: Unicode.Scalar) -> RecordLimitError {
        RecordLimitError(.controlCharacter, "\(field): contains the control character \(RecordLimits.codePoint(scalar))")
    }

    /// Whether an amount (rather than a text field) is at fault: the item is `AMOUNT_INVALID`.
    public var isAmount: Bool { code == .amountOutOfRange }

    public var description: String { message }
}

extension TransactionRecord {
    /// Checks every amount (each between 0 and ``VND/maximumMagnitude``, as the schema says) and every
    /// sum the rules form from them (Σ lines, taxable revenue, expected `buyer_paid`, VAT + PIT): a record
    /// that passes can be assessed and reconciled without any overflow.
    public func checkAmounts() throws(RecordLimitError) {
        for (index, line) in lines.enumerated() {
            try RecordLimits.checkAmount(line.amount, field: "lines[\(index)].amount")
            try RecordLimits.checkAmount(line.quantity, field: "lines[\(index)].quantity")
            guard line.amount >= 0 else { throw .negativeAmount("lines[\(index)].amount", line.amount) }
        }
        let fields: [(String, Int64)] = [
            ("gross", amounts.gross), ("seller_discount", amounts.sellerDiscount),
            ("platform_discount", amounts.platformDiscount), ("shipping_fee", amounts.shippingFee),
            ("buyer_paid", amounts.buyerPaid), ("platform_fees", amounts.platformFees),
            ("withholding.vat", withholding.vat), ("withholding.pit", withholding.pit),
        ]
        for (field, amount) in fields {
            try RecordLimits.checkAmount(amount, field: field)
            guard amount >= 0 else { throw .negativeAmount(field, amount) }
        }
        guard VND.sum(lines.map(\.amount)) != nil else { throw .amountOutOfRange("Σ lines[].amount", nil) }
        // Every operand is now within the ceiling, so these sums of a few terms cannot overflow Int64.
        try RecordLimits.checkAmount(amounts.taxableRevenue, field: "taxable_revenue")
        try RecordLimits.checkAmount(amounts.expectedBuyerPaid, field: "gross − discounts + shipping_fee")
        try RecordLimits.checkAmount(withholding.total, field: "withholding.vat + withholding.pit")
    }

    /// Checks everything reconciliation computes on: the amounts (``checkAmounts()``) and the times (within
    /// ``Timestamp/supportedSeconds``). A stored record that passes can be assessed, reconciled and
    /// scheduled without any overflow.
    public func checkComputable() throws(RecordLimitError) {
        try checkAmounts()
        for (field, time) in [("occurred_at", occurredAt), ("source.received_at", source.receivedAt)] {
            guard time.isSupported else { throw .timeOutOfRange(field, time.seconds) }
        }
    }

    /// Checks the ids and names: ``RecordLimits/maximumIdentifierLength`` and
    /// ``RecordLimits/maximumNameLength``, no control characters.
    public func checkText() throws(RecordLimitError) {
        try RecordLimits.checkIdentifier(platform, field: "platform")
        try RecordLimits.checkIdentifier(externalID, field: "external_id")
        if let originalExternalID {
            try RecordLimits.checkIdentifier(originalExternalID, field: "original_external_id")
        }
        try RecordLimits.checkIdentifier(seller.platformSellerID, field: "seller.platform_seller_id")
        if let taxCode = seller.taxCode { try RecordLimits.checkIdentifier(taxCode, field: "seller.tax_code") }
        try RecordLimits.checkName(seller.name, field: "seller.name")
        for (index, line) in lines.enumerated() {
            try RecordLimits.checkIdentifier(line.sku, field: "lines[\(index)].sku")
            try RecordLimits.checkName(line.name, field: "lines[\(index)].name")
        }
    }
}

