import TaxLinkCore
import TaxLinkStore

/// Ingest's answer to a return that meets its sale: the refund record the claim makes of the sale
/// (``TaxLinkCore/ReturnClaim/refund(sale:lineItemIDs:)``), assessed under ``rates`` like every
/// record ingest prepares. The store calls it in either order (claim first or sale first).
public struct RefundResolution: ReturnResolving {
    /// The withholding rates the refund's flags are measured against.
    public var rates: RateSchedule

    /// A resolution assessing refunds under `rates`.
    public init(rates: RateSchedule = .standard) {
        self.rates = rates
    }

    public func refund(for claim: ReturnClaim, sale: TransactionRecord, lineItemIDs: [String: Int]) -> PreparedRecord {
        PreparedRecord(assessing: claim.refund(sale: sale, lineItemIDs: lineItemIDs), rates: rates)
    }
}
