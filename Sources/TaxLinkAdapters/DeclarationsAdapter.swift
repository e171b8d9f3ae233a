import TaxLinkCore

/// Reads `{"tax_period": "2026-01", "rows": [...]}`; a bad row is rejected, the rest kept.
///
/// `revenue`, `vat` and `pit` are net figures (sales minus refunds), so each may be negative; each, and
/// each sum of the rows of one seller and group, stays within ±``TaxLinkCore/VND/maximumMagnitude``. A row
/// with a duplicate member name is refused.
public struct DeclarationsAdapter: Sendable {
    public init() {}

    /// A declaration body being read: its rows are checked one at a time, and a refused row is
    /// handed out at once, so the rejections are never all held.
    public struct Reading {
        private let platform: String
        private let period: TaxPeriod
        private let values: [JSONValue]
        private var index = 0
        private var summed: [String: Declaration.Row] = [:]

        fileprivate init(platform: String, period: TaxPeriod, values: [JSONValue]) {
            self.platform = platform
            self.period = period
            self.values = values
        }

        /// The number of rows in the body.
        public var received: Int { values.count }

        /// The next refused row, or `nil` once every row is read.
        public mutating func nextRejection() -> Rejection? {
            while index < values.count {
                let value = values[index]
                defer { index += 1 }
                do throws(ItemError) {
                    try add(value)
                } catch {
                    return Rejection(
                        position: .index(index), externalID: value.identifier(at: "platform_seller_id"),
                        reason: error.reason, code: error.code)
                }
            }
            return nil
        }

        /// The declaration of the rows read so far (all of them, after ``nextRejection()`` gave `nil`).
        public var declaration: Declaration {
            let rows = summed.values.sorted { ($0.platformSellerID, $0.group) < ($1.platformSellerID, $1.group) }
            return Declaration(platform: platform, period: period, rows: rows)
        }

        private mutating func add(_ value: JSONValue) throws(ItemError) {
            guard case .object = value else { throw ItemError(reason: "expected an object, found \(value.typeName)") }
            if let path = value.duplicateMemberPath {
                throw ItemError(reason: "\(path): the member name occurs twice in one object")
            }
            let row = try DeclarationsAdapter().row(SourceReader(value, path: ""))
            let key = "\(row.platformSellerID)\u{0}\(row.group.rawValue)"
            if var existing = summed[key] {
                existing.revenue = try [existing.revenue, row.revenue].checkedSum("revenue")
                existing.vat = try [existing.vat, row.vat].checkedSum("vat")
                existing.pit = try [existing.pit, row.pit].checkedSum("pit")
                summed[key] = existing
            } else {
                summed[key] = row
            }
        }
    }

    /// Reads the envelope (failing for a body that is not one); the rows follow one at a time.
    public func reading(_ body: [UInt8], context: FeedContext) throws(FeedError) -> Reading {
        let document: JSONValue
        guard body.contains(where: { !JSONEnvelope.isWhitespace($0) }) else { throw .empty }
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw .malformedJSON(error)
        }
        if case .object(let envelope) = document, let key = envelope.duplicateKey {
            throw .malformedEnvelope("\(key): the member name occurs twice in the envelope")
        }
        guard let periodText = document["tax_period"]?.stringValue, let period = TaxPeriod(periodText) else {
            throw .malformedEnvelope("tax_period: expected \"YYYY-MM\"")
        }
        guard let rowValues = document["rows"]?.arrayValue else {
            throw .malformedEnvelope("rows: expected an array")
        }
        return Reading(platform: context.platform, period: period, values: rowValues)
    }

    /// The declaration, the number of rows received and the rows it refused.
    public func adapt(
        _ body: [UInt8], context: FeedContext
    ) throws(FeedError) -> (declaration: Declaration, received: Int, rejections: [Rejection]) {
        var reading = try reading(body, context: context)
        var rejections: [Rejection] = []
        while let rejection = reading.nextRejection() { rejections.append(rejection) }
        return (reading.declaration, reading.received, rejections)
    }

    fileprivate func row(_ reader: SourceReader) throws(ItemError) -> Declaration.Row {
        let identity = TaxIdentity(raw: try reader.optionalIdentifier("tax_id"))
        let shopName = try reader.optionalName("shop_name")
        return Declaration.Row(
            platformSellerID: try reader.identifier("platform_seller_id"),
            sellerName: try reader.optionalName("seller_name") ?? shopName ?? "",
            taxID: identity.normalized,
            resident: !(try reader.bool("non_resident")),
            group: BusinessGroup(sourceValue: try reader.optionalString("category")),
            revenue: try reader.signedMoney("revenue", required: true),
            vat: try reader.signedMoney("vat", required: true),
            pit: try reader.signedMoney("pit", required: true))
    }
}
