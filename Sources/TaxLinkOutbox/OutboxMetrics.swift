import Metrics

/// The uploader's metrics, made by one factory (the global one in the executable, a test factory in tests).
struct OutboxMetrics: Sendable {
    let factory: any MetricsFactory

    /// One attempt and its outcome.
    func attempt(outcome: String, reason: String) {
        Counter(
            label: "taxlink_upload_attempts_total",
            dimensions: [("outcome", outcome), ("reason", reason)],
            factory: factory
        ).increment()
    }

    /// A batch that went dead; `reason` is the HTTP status (`http_401`) or `gave_up`.
    func dead(reason: String) {
        Counter(label: "taxlink_outbox_dead_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// A 409: the ministry saw the batch id with other bytes.
    func conflict() {
        Counter(label: "taxlink_outbox_conflicts_total", factory: factory).increment()
    }

    /// A receipt that failed verification (kept as evidence).
    func receiptRefused() {
        Counter(label: "taxlink_outbox_receipts_refused_total", factory: factory).increment()
    }

    /// The time from sealing to a verified receipt.
    func sealToReceipt(seconds: Double) {
        Metrics.Timer(label: "taxlink_seal_to_receipt_seconds", dimensions: [], factory: factory)
            .recordSeconds(seconds)
    }
}
