import TaxLinkCore

/// A chunk of accepted items as both stores' writers store it: the completed records, the return
/// claims, and which orders were seen in which status (every item, in chunk order).
struct IngestChunk {
    /// The completed records, in order.
    var prepared: [PreparedRecord] = []
    /// The return claims, in order.
    var claims: [ReturnClaim] = []
    /// One mark per item: completed records and claims as `COMPLETED`, pending orders in their status (counted).
    var marks: [SeenMark] = []

    /// Splits `items`.
    init(_ items: [IngestItem]) {
        for item in items {
            switch item {
            case .record(let record):
                prepared.append(record)
                let record = record.adapted.record
                marks.append(SeenMark(record.platform, record.kind, record.externalID, "COMPLETED", completed: true))
            case .pending(let order):
                marks.append(
                    SeenMark(order.platform, order.kind, order.externalID, order.status, completed: false, counted: true)
                )
            case .returnClaim(let claim):
                claims.append(claim)
                marks.append(SeenMark(claim.platform, .refund, claim.returnID, "COMPLETED", completed: true))
            }
        }
    }
}
