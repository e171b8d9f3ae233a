import TaxLinkCore
import Testing

/// The record writer writes the bytes of the canonical encoder over the record's JSON tree, byte for
/// byte, for every kind of field value.
@Suite("Canonical record writer")
struct CanonicalRecordTests {
    static func record(
        name: String = "Hộ kinh doanh Minh Anh", taxCode: String? = "0100233488", nationalID: String? = nil,
        lines: Int = 1, amount: Int64 = 200_000, occurredAt: Int64 = 1_768_000_000, flags: [DiscrepancyCode] = []
    ) -> TransactionRecord {
        TransactionRecord(
            revision: 12, platform: "shopee", kind: .refund, externalID: "R-1\"\\", originalExternalID: nil,
            occurredAt: Timestamp(unixSeconds: occurredAt),
            seller: Seller(
                platformSellerID: "S\u{1}9", taxCode: taxCode, nationalID: nationalID, name: name, type: .household,
                resident: nationalID == nil),
            lines: (0..<lines).map {
                Line(sku: "SKU\($0)\t", name: "Áo thun \n\($0)", category: .goods, quantity: Int64($0 + 1), amount: amount)
            },
            amounts: Amounts(
                gross: amount, sellerDiscount: -amount, platformDiscount: 0, shippingFee: Int64.max,
                buyerPaid: Int64.min + 1, platformFees: 9),
            withholding: Withholding(vat: -1, pit: 1_000_000_000_000),
            flags: flags,
            source: RecordSource(feedID: "f-000001", receivedAt: Timestamp(unixSeconds: 1_770_688_800))
        )
    }

    @Test(arguments: [
        record(),
        record(name: "", taxCode: nil, nationalID: "001234567890", lines: 0),
        record(lines: 3, amount: 0, flags: [.taxIDMissing, .withholdingMismatch]),
        record(occurredAt: -62_135_596_800),
        record(occurredAt: 253_402_300_799),
        record(occurredAt: 300_000_000_000),
        record(name: "\u{7f}\u{1f}\u{0}é😀\"", amount: -5),
    ])
    func theWriterGivesTheBytesOfTheTree(record: TransactionRecord) {
        #expect(record.canonicalBytes == CanonicalJSON.encode(record.json))
    }
}
