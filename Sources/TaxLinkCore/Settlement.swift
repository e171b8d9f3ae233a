/// One successful gateway payment for an order.
public struct Settlement: Sendable, Hashable {
    /// The gateway (`vnpay`).
    public var gateway: String
    /// `vnp_TransactionNo`, unique per payment: a re-sent row is a duplicate.
    public var transactionNo: String
    public var reference: String
    /// The platform the order belongs to (from `vnp_OrderInfo`).
    public var platform: String
    /// The order's external id (from `vnp_OrderInfo`).
    public var orderID: String
    /// In đồng (`vnp_Amount` ÷ 100).
    public var amount: Int64
    public var paidAt: Timestamp
    public var bankCode: String

    public init(
        gateway: String, transactionNo: String, reference: String, platform: String, orderID: String, amount: Int64,
        paidAt: Timestamp, bankCode: String
    ) {
        self.gateway = gateway
        self.transactionNo = transactionNo
        self.reference = reference
        self.platform = platform
        self.orderID = orderID
        self.amount = amount
        self.paidAt = paidAt
        self.bankCode = bankCode
    }

    /// The record id of the sale it pays for.
    public var saleRecordID: String { "\(platform):\(RecordKind.sale.rawValue):\(orderID)" }
}
