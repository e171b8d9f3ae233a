import TaxLinkCore

/// What the last reconciliation left behind so the next one can tell whether anything it reads has changed:
/// the stamp of its inputs (``ReconciliationSnapshot/inputStamp()`` and the reconciler's configuration),
/// the time it reconciled at, and its summary, which the reconciler writes and reads back as it likes.
///
/// The store keeps one mark (``FindingsStorage/setReconciliationMark(_:)``) and reads it inside the
/// snapshot (``ReconciliationSnapshot/reconciliationMark()``); it attaches no meaning to it.
public struct ReconciliationMark: Sendable, Hashable {
    /// The stamp of the inputs the findings were computed from.
    public var inputs: String
    /// The time the rules were applied at.
    public var asOf: Timestamp
    /// The reconciler's summary of the run, as text.
    public var summary: String

    /// Every field, as named.
    public init(inputs: String, asOf: Timestamp, summary: String) {
        self.inputs = inputs
        self.asOf = asOf
        self.summary = summary
    }
}
