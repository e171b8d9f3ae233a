import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkStore

/// One order of the generic CSV feed, with defaults that give a clean record: a resident household
/// selling goods for 1,000,000 đồng, paid cash
/// on delivery, with the expected withholding.
struct Order {
    var id: String
    var kind = "sale"
    var original = ""
    var completedAt = "2026-01-15T10:00:00+07:00"
    var seller = "S1"
    var sellerName = "Hộ kinh doanh Minh Anh"
    var taxID = "0100233488"
    var type = "household"
    var nonResident = false
    var lines: [(category: String, amount: Int64)] = [("goods", 1_000_000)]
    var sellerDiscount: Int64 = 0
    var platformDiscount: Int64 = 0
    var shipping: Int64 = 0
    /// Default: consistent with the other amounts.
    var buyerPaid: Int64?
    /// Default: the expected withholding.
    var vat: Int64?
    var pit: Int64?
    /// Cash on delivery by default, so no settlement is expected unless a test asks for one.
    var cod = true

    init(_ id: String, _ configure: (inout Order) -> Void = { _ in }) {
        self.id = id
        configure(&self)
    }

    var gross: Int64 { lines.reduce(0) { $0 + $1.amount } }

    /// What the rates expect of this order.
    var expected: ExpectedWithholding {
        let record = TransactionRecord(
            platform: "tiki",
            kind: kind == "sale" ? .sale : .refund,
            externalID: id,
            occurredAt: Timestamp.parseISO8601(completedAt) ?? .now,
            seller: Seller(
                platformSellerID: seller,
                taxCode: nil,
                nationalID: nil,
                name: sellerName,
                type: SellerType(rawValue: type) ?? .household,
                resident: !nonResident
            ),
            lines: lines.map {
                Line(
                    sku: "",
                    name: "",
                    category: BusinessGroup(sourceValue: $0.category),
                    quantity: 1,
                    amount: $0.amount
                )
            },
            amounts: Amounts(
                gross: gross,
                sellerDiscount: sellerDiscount,
                platformDiscount: platformDiscount,
                shippingFee: shipping,
                buyerPaid: 0,
                platformFees: 0
            ),
            withholding: Withholding(vat: 0, pit: 0),
            source: RecordSource(feedID: "", receivedAt: .now)
        )
        return ExpectedWithholding(record: record)
    }

    static let header = """
        order_id,kind,original_order_id,completed_at,seller_id,shop_name,seller_name,seller_tax_id,seller_type,\
        non_resident,sku,item_name,category,quantity,line_amount,seller_discount,platform_discount,shipping_fee,\
        buyer_paid,platform_fees,vat_withheld,pit_withheld,cod
        """

    var rows: [String] {
        let expected = expected
        let paid = buyerPaid ?? gross - sellerDiscount - platformDiscount + shipping
        return lines.enumerated().map { index, line in
            [
                id, kind, original, completedAt, seller, "Shop", quoted(sellerName), quoted(taxID), type,
                nonResident ? "true" : "false", "SKU-\(index)", quoted("Hàng \"số\" \(index), loại A"), line.category,
                "1",
                String(line.amount), String(sellerDiscount), String(platformDiscount), String(shipping), String(paid),
                "0",
                String(vat ?? expected.vat), String(pit ?? expected.pit), cod ? "true" : "false",
            ].joined(separator: ",")
        }
    }

    private func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The CSV feed of `orders`.
    static func csv(_ orders: [Order]) -> String {
        ([header] + orders.flatMap(\.rows)).joined(separator: "\n") + "\n"
    }
}

/// One declaration row.
struct DeclaredRow {
    var seller = "S1"
    var category: String? = "goods"
    var revenue: Int64
    var vat: Int64
    var pit: Int64

    var json: String {
        let group = category.map { "\"\($0)\"" } ?? "null"
        return """
            {"platform_seller_id":"\(seller)","shop_name":"Shop","seller_name":"Người bán","tax_id":"0100233488",\
            "non_resident":false,"category":\(group),"revenue":\(revenue),"vat":\(vat),"pit":\(pit)}
            """
    }

    static func feed(_ period: String, _ rows: [DeclaredRow]) -> String {
        "{\"tax_period\":\"\(period)\",\"rows\":[\(rows.map(\.json).joined(separator: ","))]}"
    }
}

/// A VNPay settlements file paying `payments` (platform, order id, amount in đồng).
func settlementsCSV(_ payments: [(String, String, Int64)], firstNumber: Int = 1) -> String {
    var lines = ["vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_PayDate,vnp_BankCode,vnp_TransactionStatus,vnp_OrderInfo"]
    for (index, payment) in payments.enumerated() {
        let number = firstNumber + index
        lines.append(
            "T\(number),\(90_000_000 + number),\(payment.2 * 100),20260115120000,NCB,00,\(payment.0):\(payment.1)"
        )
    }
    return lines.joined(separator: "\n") + "\n"
}

extension SQLiteStore {
    /// Pushes generic CSV orders to `tiki/orders`.
    @discardableResult
    func push(_ orders: [Order], receivedAt: Timestamp = sampleReceivedAt) async throws -> FeedSummary {
        try await push("tiki/orders", Order.csv(orders), format: .csv, receivedAt: receivedAt)
    }
}
