import TaxLinkCore

/// The `seller` block of every JSON platform envelope.
struct SellerBlock {
    var seller: Seller
    /// The seller's registered business group: the category of every line.
    var category: BusinessGroup

    init(_ reader: SourceReader) throws(ItemError) {
        let typeText = try reader.string("type")
        guard let type = SellerType(rawValue: typeText.trimmingWhitespace().lowercased()) else {
            throw reader.malformed("type", "expected household, individual or enterprise, found '\(typeText)'")
        }
        let identity = TaxIdentity(raw: try reader.optionalIdentifier("tax_id"))
        let shopName = try reader.optionalName("shop_name")
        let name = try reader.optionalName("name") ?? shopName ?? ""
        seller = Seller(
            platformSellerID: try reader.identifier("platform_seller_id"),
            taxCode: identity.taxCode,
            nationalID: identity.nationalID,
            name: name,
            type: type,
            resident: !(try reader.bool("non_resident"))
        )
        category = BusinessGroup(sourceValue: try reader.optionalString("category"))
    }
}
