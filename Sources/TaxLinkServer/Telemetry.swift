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
        registry.makeCounter(name: "taxlink_items_rejected_total", labels: labels).increment(by: Int64(summary.rejected.count))
    }

    /// The registry in the Prometheus text format.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
