import TaxLinkCore

/// Turns a completed return into the refund record the store keeps, when the return meets its sale.
///
/// The store holds no rule about refunds: it only knows when a return claim and its sale are both
/// stored. It calls ``refund(for:sale:lineItemIDs:)`` inside the feed's write transaction in either
/// order — when a claim arrives and the latest revision of its sale (`platform:sale:order_id`) is
/// stored, and when a completed sale is stored while claims for its order wait — and stores the
/// record returned like any completed record: as its next revision, or counted as a duplicate when
/// its content equals the latest revision's. An error thrown here fails the whole feed. Ingest
/// implements it (the withholding rates live there), so every store resolves returns the same way.
public protocol ReturnResolving: Sendable {
    /// The refund record of `claim` against `sale` (the latest stored revision of the sale), with
    /// its flags assessed. `lineItemIDs` maps the sale's platform item ids to the indexes of its
    /// lines, as the sale's adapter gave them (empty when the platform names no items).
    func refund(for claim: ReturnClaim, sale: TransactionRecord, lineItemIDs: [String: Int]) throws -> PreparedRecord
}
