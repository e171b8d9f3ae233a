import TaxLinkCore

/// A record-level rejection code of the receipt.
enum RejectionCode: String, Sendable, CaseIterable {
    case duplicateRecord = "DUPLICATE_RECORD"
    case staleRevision = "STALE_REVISION"
    case taxCodeInvalid = "TAX_CODE_INVALID"
    case sellerIDMissing = "SELLER_ID_MISSING"
    case amountInvalid = "AMOUNT_INVALID"
    case periodMismatch = "PERIOD_MISMATCH"
    case schemaInvalid = "SCHEMA_INVALID"
}

/// Why one record was rejected.
struct Rejection: Error, Sendable, Hashable {
    var code: RejectionCode
    var message: String
}

/// A record after the checks that need no stored state.
struct RecordVerdict: Sendable {
    /// The record's id, or `records[i]` when it has none.
    var recordID: String
    /// The revision, when the record passed the checks.
    var revision: Int64?
    /// Why it is rejected, `nil` when it passed.
    var rejection: Rejection?
}

/// The rules of `ecom-tax-record/1` that the ministry checks on each record by itself
/// ("Rules the ministry checks"); cross-batch rules (duplicates, stale revisions) need the store.
///
/// A record breaking several rules gets the first code in this order: `SCHEMA_INVALID`,
/// `SELLER_ID_MISSING`, `TAX_CODE_INVALID`, `AMOUNT_INVALID`, `PERIOD_MISMATCH`.
enum RecordRules {
    static let recordFields: ObjectSchema = [
        "record_id": .string, "revision": .number, "platform": .string, "kind": .string, "external_id": .string,
        "original_external_id": .nullableString, "occurred_at": .string, "tax_period": .string, "seller": .object,
        "currency": .string, "lines": .array, "amounts": .object, "withholding": .object, "flags": .array,
        "source": .object,
    ]
    static let sellerFields: ObjectSchema = [
        "platform_seller_id": .string, "tax_code": .nullableString, "national_id": .nullableString, "name": .string,
        "type": .string, "resident": .boolean,
    ]
    static let lineFields: ObjectSchema = [
        "sku": .string, "name": .string, "category": .string, "quantity": .number, "amount": .number,
    ]
    static let amountNames = [
        "gross", "seller_discount", "platform_discount", "shipping_fee", "buyer_paid", "platform_fees",
        "taxable_revenue",
    ]
    static let amountFields: ObjectSchema = [
        "gross": .number, "seller_discount": .number, "platform_discount": .number, "shipping_fee": .number,
        "buyer_paid": .number, "platform_fees": .number, "taxable_revenue": .number,
    ]
    static let withholdingFields: ObjectSchema = ["vat": .number, "pit": .number]
    static let sourceFields: ObjectSchema = ["feed_id": .string, "received_at": .string]

    /// The most `occurred_at` may be after `source.received_at`, in seconds.
    static let maximumLead: Int64 = 5 * 60

    /// Checks the record at `index` of a batch.
    static func check(_ record: JSONValue, index: Int) -> RecordVerdict {
        let recordID = record["record_id"]?.stringValue ?? "records[\(index)]"
        do throws(Rejection) {
            let revision = try checkSchema(record)
            try checkSellerID(record)
            try checkAmounts(record)
            try checkPeriod(record)
            return RecordVerdict(recordID: recordID, revision: revision, rejection: nil)
        } catch {
            return RecordVerdict(recordID: recordID, revision: nil, rejection: error)
        }
    }

    private static func schema(_ message: String) -> Rejection {
        Rejection(code: .schemaInvalid, message: message)
    }

    /// Checks the shape of the record and its schema-level rules; returns the revision.
    private static func checkSchema(_ record: JSONValue) throws(Rejection) -> Int64 {
        if let violation = schemaViolation(of: record, at: "record", fields: recordFields) { throw schema(violation) }
        let nested: [(String, ObjectSchema)] = [
            ("seller", sellerFields), ("amounts", amountFields), ("withholding", withholdingFields),
            ("source", sourceFields),
        ]
        for (name, fields) in nested {
            if let violation = schemaViolation(of: record[name] ?? .null, at: name, fields: fields) {
                throw schema(violation)
            }
        }
        let lines = record["lines"]?.arrayValue ?? []
        for (position, line) in lines.enumerated() {
            if let violation = schemaViolation(of: line, at: "lines[\(position)]", fields: lineFields) {
                throw schema(violation)
            }
            let category = line["category"]?.stringValue ?? ""
            guard BusinessGroup(rawValue: category) != nil else {
                throw schema(
                    "lines[\(position)].category \"\(category)\" is not goods, services, transport, other or unknown"
                )
            }
        }
        for flag in record["flags"]?.arrayValue ?? [] where flag.stringValue == nil {
            throw schema("flags must hold strings only, found \(flag.typeName)")
        }
        let string = { (name: String) in record[name]?.stringValue ?? "" }
        let kind = string("kind")
        guard let recordKind = RecordKind(rawValue: kind) else {
            throw schema("kind \"\(kind)\" is not sale or refund")
        }
        guard !string("platform").isEmpty, !string("external_id").isEmpty else {
            throw schema("platform and external_id must not be empty")
        }
        let expectedID = "\(string("platform")):\(kind):\(string("external_id"))"
        guard string("record_id") == expectedID else {
            throw schema(
                "record_id \"\(string("record_id"))\" must be <platform>:<kind>:<external_id> = \"\(expectedID)\""
            )
        }
        if recordKind == .refund, (record["original_external_id"]?.stringValue ?? "").isEmpty {
            throw schema("a refund must name its sale in original_external_id")
        }
        guard let revision = record["revision"].flatMap(WireFormat.integer), revision >= 1 else {
            throw schema("revision must be an integer of at least 1")
        }
        guard string("currency") == "VND" else {
            throw schema("currency must be \"VND\", found \"\(string("currency"))\"")
        }
        let sellerType = record["seller"]?["type"]?.stringValue ?? ""
        guard SellerType(rawValue: sellerType) != nil else {
            throw schema("seller.type \"\(sellerType)\" is not household, individual or enterprise")
        }
        guard let occurredAt = WireFormat.utcTime(string("occurred_at")) else {
            throw schema("occurred_at \"\(string("occurred_at"))\" is not YYYY-MM-DDThh:mm:ssZ")
        }
        let receivedText = record["source"]?["received_at"]?.stringValue ?? ""
        guard let receivedAt = WireFormat.utcTime(receivedText) else {
            throw schema("source.received_at \"\(receivedText)\" is not YYYY-MM-DDThh:mm:ssZ")
        }
        guard TaxPeriod(string("tax_period")) != nil, string("tax_period").utf8.count == 7 else {
            throw schema("tax_period \"\(string("tax_period"))\" is not YYYY-MM")
        }
        guard occurredAt <= receivedAt.adding(seconds: maximumLead) else {
            throw schema("occurred_at \(occurredAt) is more than 5 minutes after source.received_at \(receivedAt)")
        }
        return revision
    }

    private static func checkSellerID(_ record: JSONValue) throws(Rejection) {
        let taxCode = record["seller"]?["tax_code"]?.stringValue
        let nationalID = record["seller"]?["national_id"]?.stringValue
        guard taxCode != nil || nationalID != nil else {
            throw Rejection(code: .sellerIDMissing, message: "seller has neither tax_code nor national_id")
        }
        if let taxCode, !WireFormat.isValidTaxCode(taxCode) {
            throw Rejection(
                code: .taxCodeInvalid,
                message: "seller.tax_code \"\(taxCode)\" is not a valid tax code (NNNNNNNNNN with its check digit, "
                    + "or NNNNNNNNNN-BBB)"
            )
        }
        if let nationalID, !WireFormat.isNationalID(nationalID) {
            throw Rejection(code: .taxCodeInvalid, message: "seller.national_id must be exactly 12 digits")
        }
    }

    private static func checkAmounts(_ record: JSONValue) throws(Rejection) {
        func amount(_ value: JSONValue?, _ path: String, minimum: Int64 = 0) throws(Rejection) -> Int64 {
            guard let value, let number = WireFormat.integer(value), number >= minimum else {
                let literal = value.map { CanonicalJSON.string($0) } ?? "nothing"
                throw Rejection(
                    code: .amountInvalid,
                    message: "\(path) is \(literal); it must be an integer ≥ \(minimum)"
                )
            }
            return number
        }
        var lineTotal: Int64 = 0
        for (position, line) in (record["lines"]?.arrayValue ?? []).enumerated() {
            _ = try amount(line["quantity"], "lines[\(position)].quantity", minimum: 1)
            let (sum, overflow) = lineTotal.addingReportingOverflow(
                try amount(line["amount"], "lines[\(position)].amount")
            )
            guard !overflow else { throw Rejection(code: .amountInvalid, message: "the line amounts overflow") }
            lineTotal = sum
        }
        var amounts: [String: Int64] = [:]
        for name in amountNames { amounts[name] = try amount(record["amounts"]?[name], "amounts.\(name)") }
        for name in ["vat", "pit"] { _ = try amount(record["withholding"]?[name], "withholding.\(name)") }
        let gross = amounts["gross"] ?? 0
        guard gross == lineTotal else {
            throw Rejection(
                code: .amountInvalid,
                message: "amounts.gross \(gross) is not the sum of the lines, \(lineTotal)"
            )
        }
        let expected = gross - (amounts["seller_discount"] ?? 0)
        guard amounts["taxable_revenue"] == expected else {
            throw Rejection(
                code: .amountInvalid,
                message:
                    "amounts.taxable_revenue \(amounts["taxable_revenue"] ?? 0) is not gross − seller_discount = \(expected)"
            )
        }
    }

    private static func checkPeriod(_ record: JSONValue) throws(Rejection) {
        let period = record["tax_period"]?.stringValue ?? ""
        guard let occurredAt = record["occurred_at"]?.stringValue.flatMap(WireFormat.utcTime) else { return }
        let expected = TaxPeriod(containing: occurredAt).description
        guard period == expected else {
            throw Rejection(
                code: .periodMismatch,
                message: "tax_period \(period) is not \(expected), the Vietnam-time month of occurred_at \(occurredAt)"
            )
        }
    }
}
