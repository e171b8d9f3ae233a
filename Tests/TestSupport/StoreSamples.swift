import TaxLinkCore
import TaxLinkStore

/// Records and findings that the store, server and workbench tests write through the store's protocols.
public enum StoreSamples {
    /// A completed sale on `platform` of `gross` đồng (one goods line, no discounts or fees, VAT 1 % and
    /// PIT 0.5 %) by household seller `sellerID`, prepared with `flags`.
    public static func sale(
        _ externalID: String,
        platform: String,
        sellerID: String,
        taxCode: String?,
        nationalID: String?,
        sellerName: String,
        line: (sku: String, name: String),
        gross: Int64,
        occurredAt: Int64,
        flags: [DiscrepancyCode]
    ) -> PreparedRecord {
        let record = TransactionRecord(
            platform: platform,
            kind: .sale,
            externalID: externalID,
            occurredAt: Timestamp(unixSeconds: occurredAt),
            seller: Seller(
                platformSellerID: sellerID,
                taxCode: taxCode,
                nationalID: nationalID,
                name: sellerName,
                type: .household,
                resident: true
            ),
            lines: [Line(sku: line.sku, name: line.name, category: .goods, quantity: 1, amount: gross)],
            amounts: Amounts(
                gross: gross,
                sellerDiscount: 0,
                platformDiscount: 0,
                shippingFee: 0,
                buyerPaid: gross,
                platformFees: 0
            ),
            withholding: Withholding(vat: gross / 100, pit: gross / 200),
            source: RecordSource(feedID: "", receivedAt: Timestamp(unixSeconds: 0))
        )
        return PreparedRecord(AdaptedRecord(record: record, cashOnDelivery: false), flags: flags)
    }

    /// `content` written as a new open finding that the reconciler detected at `detected`.
    public static func detected(_ content: FindingContentRow, at detected: Timestamp) -> FindingWrite {
        .insert(
            content,
            FindingWorkflowRow(status: "open", resolution: nil, active: true, detectedAt: detected, updatedAt: detected),
            history: FindingHistoryRow(
                at: detected,
                fromStatus: nil,
                toStatus: "open",
                actor: "reconciler",
                note: nil,
                reason: "detected"
            )
        )
    }
}
