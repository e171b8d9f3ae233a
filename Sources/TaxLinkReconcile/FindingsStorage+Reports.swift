import TaxLinkCore
import TaxLinkStore

/// The findings in reconciliation's own types, read through the store's rows.
extension FindingsStorage {
    /// The findings matching `query`, sorted and paged, with the number that match before paging.
    public func findings(_ query: FindingQuery) async throws -> FindingPage {
        let page = try await findingRows(
            query.filter,
            order: query.sort.order,
            limit: query.limit,
            offset: query.offset
        )
        return FindingPage(
            findings: try page.rows.map { row throws(ReconcileError) in try StoredFinding(row) },
            total: page.total
        )
    }

    /// One finding, or `nil`.
    public func finding(id: String) async throws -> StoredFinding? {
        try await findingRow(id: id).map { row throws(ReconcileError) in try StoredFinding(row) }
    }

    /// The history of each of `ids`, oldest first.
    public func findingHistory(ids: [String]) async throws -> [String: [FindingHistoryEntry]] {
        try await findingHistoryRows(ids: ids).mapValues { $0.map(FindingHistoryEntry.init) }
    }

    /// Count and tax at risk of the findings matching `query` (paging ignored), per value of `dimension`.
    public func findingTotals(_ query: FindingQuery, by dimension: FindingDimension) async throws -> [FindingTotal] {
        try await findingTotalRows(query.filter, by: dimension.column).map {
            FindingTotal(key: $0.key, count: $0.count, amountAtRisk: $0.amountAtRisk)
        }
    }
}
