import Prometheus
import TaxLinkAdapters
import TaxLinkStore

/// The connector's metrics, kept in one Prometheus registry and served at `/metrics`.
public struct Telemetry: Sendable {
    /// The registry; other services add their own metrics to it.
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Counts a stored feed and its items.
    func feedIngested(source: FeedSource, summary: FeedSummary) {
        let labels = [("source", source.description)]
        registry.makeCounter(name: "taxlink_feeds_ingested_total", labels: labels).increment()
        registry.makeCounter(name: "taxlink_items_received_total", labels: labels).increment(by: Int64(summary.received))
        registry.makeCounter(name: "taxlink_items_accepted_total", labels: labels).increment(by: Int64(summary.accepted))
        registry.makeCounter(name: "taxlink_items_duplicate_total", labels: labels).increment(by: Int64(summary.duplicates))
        registry.makeCounter(name: "taxlink_items_rejected_total", labels: labels).increment(by: Int64(summary.rejectedTotal))
    }

    /// Sets the gauges that describe what is stored: records and the outbox's batches by state.
    func observe(statistics: StoreStatistics, outbox: OutboxStatus) {
        registry.makeGauge(name: "taxlink_records_stored", labels: []).set(Double(statistics.records))
        registry.makeGauge(name: "taxlink_records_quarantined", labels: []).set(Double(statistics.quarantined))
        registry.makeGauge(name: "taxlink_records_unsealed", labels: []).set(Double(outbox.unsealedRecords))
        for state in BatchState.allCases {
            registry.makeGauge(name: "taxlink_outbox_batches", labels: [("state", state.rawValue)])
                .set(Double(outbox.states[state]?.count ?? 0))
        }
        let unsent: [BatchState] = [.sealed, .sending, .retryWait, .processing]
        let oldest = unsent.compactMap { outbox.states[$0]?.oldestAgeSeconds }.max() ?? 0
        registry.makeGauge(name: "taxlink_outbox_oldest_unsent_age_seconds", labels: []).set(Double(oldest))
    }

    /// The registry in the Prometheus text format.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
