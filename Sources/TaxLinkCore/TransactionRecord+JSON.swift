extension TransactionRecord {
    /// The record exactly as uploaded (`ecom-tax-record/1`), members in the schema's order.
    public var json: JSONValue {
        .object([
            "record_id": .string(recordID),
            "revision": .int(revision),
            "platform": .string(platform),
            "kind": .string(kind.rawValue),
            "external_id": .string(externalID),
            "original_external_id": .optional(originalExternalID),
            "occurred_at": .string(occurredAt.iso8601),
            "tax_period": .string(taxPeriod.description),
            "seller": seller.json,
            "currency": .string(currency),
            "lines": .array(lines.map(\.json)),
            "amounts": amounts.json,
            "withholding": withholding.json,
            "flags": .array(flags.map { .string($0.rawValue) }),
            "source": .object([
                "feed_id": .string(source.feedID),
                "received_at": .string(source.receivedAt.iso8601),
            ]),
        ])
    }

    /// Reads a record written by ``json``.
    public init(json: JSONValue) throws(RecordDecodingError) {
        let reader = FieldReader(json, path: "record")
        let kindText = try reader.string("kind")
        guard let kind = RecordKind(rawValue: kindText) else { throw reader.error("kind", "unknown kind") }
        let sellerReader = try reader.object("seller")
        var lines: [Line] = []
        for (index, lineValue) in try reader.array("lines").enumerated() {
            let line = FieldReader(lineValue, path: "lines[\(index)]")
            guard let category = BusinessGroup(rawValue: try line.string("category")) else {
                throw line.error("category", "unknown category")
            }
            lines.append(
                Line(
                    sku: try line.string("sku"), name: try line.string("name"), category: category,
                    quantity: try line.integer("quantity"), amount: try line.integer("amount")
                )
            )
        }
        let amounts = try reader.object("amounts")
        let withholding = try reader.object("withholding")
        let source = try reader.object("source")
        let seller = sellerReader
        guard let sellerType = SellerType(rawValue: try seller.string("type")) else {
            throw seller.error("type", "unknown seller type")
        }
        var flags: [DiscrepancyCode] = []
        for flag in try reader.array("flags") {
            guard let code = flag.stringValue.flatMap(DiscrepancyCode.init(rawValue:)) else {
                throw reader.error("flags", "unknown flag")
            }
            flags.append(code)
        }
        self.init(
            revision: Int(try reader.integer("revision")),
            platform: try reader.string("platform"),
            kind: kind,
            externalID: try reader.string("external_id"),
            originalExternalID: try reader.optionalString("original_external_id"),
            occurredAt: try reader.timestamp("occurred_at"),
            seller: Seller(
                platformSellerID: try seller.string("platform_seller_id"),
                taxCode: try seller.optionalString("tax_code"),
                nationalID: try seller.optionalString("national_id"),
                name: try seller.string("name"),
                type: sellerType,
                resident: try seller.bool("resident")
            ),
            lines: lines,
            amounts: Amounts(
                gross: try amounts.integer("gross"),
                sellerDiscount: try amounts.integer("seller_discount"),
                platformDiscount: try amounts.integer("platform_discount"),
                shippingFee: try amounts.integer("shipping_fee"),
                buyerPaid: try amounts.integer("buyer_paid"),
                platformFees: try amounts.integer("platform_fees")
            ),
            withholding: Withholding(vat: try withholding.integer("vat"), pit: try withholding.integer("pit")),
            flags: flags,
            source: RecordSource(feedID: try source.string("feed_id"), receivedAt: try source.timestamp("received_at"))
        )
    }
}

extension Seller {
    var json: JSONValue {
        .object([
            "platform_seller_id": .string(platformSellerID),
            "tax_code": .optional(taxCode),
            "national_id": .optional(nationalID),
            "name": .string(name),
            "type": .string(type.rawValue),
            "resident": .bool(resident),
        ])
    }
}

extension Line {
    var json: JSONValue {
        .object([
            "sku": .string(sku),
            "name": .string(name),
            "category": .string(category.rawValue),
            "quantity": .int(quantity),
            "amount": .int(amount),
        ])
    }
}

extension Amounts {
    var json: JSONValue {
        .object([
            "gross": .int(gross),
            "seller_discount": .int(sellerDiscount),
            "platform_discount": .int(platformDiscount),
            "shipping_fee": .int(shippingFee),
            "buyer_paid": .int(buyerPaid),
            "platform_fees": .int(platformFees),
            "taxable_revenue": .int(taxableRevenue),
        ])
    }
}

extension Withholding {
    /// `{"vat": …, "pit": …}`.
    public var json: JSONValue { .object(["vat": .int(vat), "pit": .int(pit)]) }
}

/// A stored record that could not be read back.
public struct RecordDecodingError: Error, Sendable, CustomStringConvertible {
    /// The field's path and what is wrong with it.
    public var message: String

    public var description: String { message }
}

/// Reads typed fields out of a JSON object, naming the field's path in errors.
struct FieldReader {
    private let value: JSONValue
    private let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    func error(_ key: String, _ message: String) -> RecordDecodingError {
        RecordDecodingError(message: "\(path).\(key): \(message)")
    }

    private func field(_ key: String) throws(RecordDecodingError) -> JSONValue {
        guard let field = value[key] else { throw error(key, "missing") }
        return field
    }

    func string(_ key: String) throws(RecordDecodingError) -> String {
        guard let text = try field(key).stringValue else { throw error(key, "expected a string") }
        return text
    }

    func optionalString(_ key: String) throws(RecordDecodingError) -> String? {
        let field = try field(key)
        if field.isNull { return nil }
        guard let text = field.stringValue else { throw error(key, "expected a string or null") }
        return text
    }

    func bool(_ key: String) throws(RecordDecodingError) -> Bool {
        guard let flag = try field(key).boolValue else { throw error(key, "expected a boolean") }
        return flag
    }

    func integer(_ key: String) throws(RecordDecodingError) -> Int64 {
        guard case .number(let literal) = try field(key), let number = Int64(literal) else {
            throw error(key, "expected an integer")
        }
        return number
    }

    func timestamp(_ key: String) throws(RecordDecodingError) -> Timestamp {
        guard let instant = Timestamp.parseISO8601(try string(key)) else { throw error(key, "expected a UTC time") }
        return instant
    }

    func array(_ key: String) throws(RecordDecodingError) -> [JSONValue] {
        guard let elements = try field(key).arrayValue else { throw error(key, "expected an array") }
        return elements
    }

    func object(_ key: String) throws(RecordDecodingError) -> FieldReader {
        let field = try field(key)
        guard case .object = field else { throw error(key, "expected an object") }
        return FieldReader(field, path: "\(path).\(key)")
    }
}
