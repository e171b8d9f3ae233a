import TaxLinkCore

/// Reads `{"tax_period": "2026-01", "rows": [...]}`; a bad row is rejected, the rest kept.
///
/// `revenue`, `vat` and `pit` are net figures (sales minus refunds), so each may be negative; each, and
/// each sum of the rows of one seller and group, stays within ±``TaxLinkCore/VND/maximumMagnitude``. A row
/// with a duplicate member name is refused.
public struct DeclarationsAdapter: Sendable {
    public init() {}

    /// The declaration, the number of rows received and the rows it refused.
    public func adapt(
        _ body: [UInt8], context: FeedContext
    ) throws(FeedError) -> (declaration: Declaration, received: Int, rejections: [Rejection]) {
        let document: JSONValue
        guard body.contains(where: { !JSONEnvelope.isWhitespace($0) }) else { throw .empty }
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw .malformedJSON(error.description)
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
        var rejections: [Rejection] = []
        var summed: [String: Declaration.Row] = [:]
        for (index, value) in rowValues.enumerated() {
            do throws(ItemError) {
                guard case .object = value else { throw ItemError(reason: "expected an object, found \(value.typeName)") }
                if let path = value.duplicateMemberPath {
                    throw ItemError(reason: "\(path): the member name occurs twice in one object")
                }
                let row = try self.row(SourceReader(value, path: ""))
                let key = "\(row.platformSellerID)\u{0}\(row.group.rawValue)"
                if var existing = summed[key] {
                    existing.revenue = try [existing.revenue, row.revenue].checkedSum("revenue")
                    existing.vat = try [existing.vat, row.vat].checkedSum("vat")
                    existing.pit = try [existing.pit, row.pit].checkedSum("pit")
                    summed[key] = existing
                } else {
                    summed[key] = row
                }
            } catch {
                rejections.append(
                    Rejection(
                        position: .index(index), externalID: value.identifier(at: "platform_seller_id"),
                        reason: error.reason, code: error.code))
            }
        }
        let rows = summed.values.sorted { ($0.platformSellerID, $0.group) < ($1.platformSellerID, $1.group) }
        return (Declaration(platform: context.platform, period: period, rows: rows), rowValues.count, rejections)
    }

    private func row(_ reader: SourceReader) throws(ItemError) -> Declaration.Row {
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
