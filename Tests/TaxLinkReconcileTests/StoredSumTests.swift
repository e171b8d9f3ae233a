import Foundation
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

/// Sums the store computes in SQL (settled amounts per order, tax at risk per code) cannot fail a run:
/// SQLite's `SUM` stopped the statement with "integer overflow", so a handful of settlements or findings
/// at huge amounts failed every reconciliation and every totals page.
@Suite("Sums in the store never overflow")
struct StoredSumTests {
    static let huge = "4000000000000000000"

    static func plantSettlements(_ path: String, orderID: String, count: Int, amount: String = huge) throws {
        let values = (1...count).map {
            "('vnpay', 'T-\(orderID)-\($0)', 'R', 'tiki', '\(orderID)', \(amount), 1770000000, 'NCB', 'f-planted')"
        }
        try PoisonedDatabaseTests.plant(
            path,
            """
            INSERT INTO settlements (gateway, transaction_no, reference, platform, order_id, amount, paid_at,
                bank_code, feed_id)
            VALUES \(values.joined(separator: ", "))
            """
        )
    }

    @Test func settlementsSummingPastInt64AreAFindingNotAFailedRun() async throws {
        try await withTemporaryStore { store, path in
            try await PoisonedDatabaseTests.twoSales(store)
            try Self.plantSettlements(path, orderID: "1", count: 3)
            try Self.plantSettlements(path, orderID: "NEVER-PUSHED", count: 3)
            let findings = try await store.reconcile()
            #expect(findings.with(.reconcileError).records == ["tiki:sale:1"])
            #expect(findings.codes == [.reconcileError, .settlementOrphan])
            let error = try #require(findings.with(.reconcileError).first)
            #expect(
                error.content.detail.contains("settled amount") && error.content.detail.contains("beyond the ceiling")
            )
        }
    }

    @Test func totalsOfHugeAmountsAtRiskAreClampedNotAnError() async throws {
        try await withTemporaryStore { store, path in
            for orderID in ["X1", "X2", "X3"] {
                try Self.plantSettlements(path, orderID: orderID, count: 1, amount: "50000")
            }
            try await store.reconcile()
            try PoisonedDatabaseTests.plant(path, "UPDATE findings SET amount_at_risk = \(Int64.max)")
            let planted = try await store.findings(FindingQuery()).findings.count
            try #require(planted >= 2, "two findings of one platform are needed to overflow")
            let totals = try await store.findingTotals(FindingQuery(), by: .platform)
            #expect(totals.map(\.count) == [planted])
            #expect(totals.map(\.amountAtRisk) == [Int64.max])
        }
    }
}
