import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

@Suite("Refunds and settlements")
struct RefundAndSettlementTests {
    static func refund(_ id: String, of sale: String, _ amount: Int64, at time: String = "2026-01-20T10:00:00+07:00")
        -> Order
    {
        Order(id) {
            $0.kind = "refund"
            $0.original = sale
            $0.lines = [("goods", amount)]
            $0.completedAt = time
        }
    }

    @Test func aRefundWithoutItsSaleIsAnOrphanWithItsReversalAtRisk() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1"), Self.refund("R1", of: "1", 200_000), Self.refund("R2", of: "404", 300_000),
            ])
            let findings = try await store.reconcile()
            let orphan = try #require(findings.with(.refundOrphan).first)
            #expect(findings.with(.refundOrphan).count == 1)
            #expect(orphan.content.recordID == "tiki:refund:R2")
            #expect(orphan.content.amountAtRisk == 4_500)
        }
    }

    @Test func pendingShopeeReturnsAreOrphansUntilTheirSaleArrives() async throws {
        try await withTemporaryStore { store in
            let returns = try String(
                contentsOf: repositoryRoot.appendingPathComponent("mocks/feeds/shopee-returns.json"),
                encoding: .utf8
            )
            try await store.push("shopee/returns", returns)
            let before = try await store.reconcile()
            #expect(
                before.with(.refundOrphan).records == [
                    "shopee:refund:260109000002005", "shopee:refund:260115000001495",
                ]
            )
            #expect(before.with(.refundOrphan).map(\.content.amountAtRisk).sorted() == [1_970, 5_534])
            let orders = try String(
                contentsOf: repositoryRoot.appendingPathComponent("mocks/feeds/shopee-orders.json"),
                encoding: .utf8
            )
            try await store.push("shopee/orders", orders)
            let after = try await store.reconcile()
            #expect(after.with(.refundOrphan).isEmpty)
            let resolved = try await store.findings(FindingQuery(parameters: ["code": "REFUND_ORPHAN"])).findings
            #expect(resolved.count == 2)
            #expect(resolved.allSatisfy { $0.status == .resolved && $0.resolution == "superseded" && !$0.active })
        }
    }

    @Test func refundsAboveTheSaleCountInCompletionOrderThenRecordID() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1"),
                Self.refund("R1", of: "1", 600_000, at: "2026-01-20T10:00:00+07:00"),
                Self.refund("R2", of: "1", 500_000, at: "2026-01-21T10:00:00+07:00"),
                Order("2"),
                Self.refund("RB", of: "2", 700_000, at: "2026-01-20T10:00:00+07:00"),
                Self.refund("RA", of: "2", 400_000, at: "2026-01-20T10:00:00+07:00"),
                Order("3"),
                Self.refund("R3", of: "3", 600_000),
                Self.refund("R4", of: "3", 400_000, at: "2026-01-22T10:00:00+07:00"),  // exactly the revenue
                Order("4") {
                    $0.type = "enterprise"; $0.vat = 0; $0.pit = 0
                },
                Self.refund("R5", of: "4", 1_200_000),
            ])
            let findings = try await store.reconcile()
            let exceeding = findings.with(.refundExceedsSale)
            #expect(exceeding.records == ["tiki:refund:R2", "tiki:refund:R5", "tiki:refund:RB"])
            let r2 = try #require(exceeding.first { $0.content.recordID == "tiki:refund:R2" })
            #expect(r2.content.amountAtRisk == 1_500)  // 100,000 above × (1% + 0.5%)
            #expect(r2.content.expected == .int(1_000_000))
            #expect(r2.content.actual == .int(1_100_000))
            #expect(exceeding.first { $0.content.recordID == "tiki:refund:RB" }?.content.amountAtRisk == 1_500)
            #expect(exceeding.first { $0.content.recordID == "tiki:refund:R5" }?.content.amountAtRisk == 0)
            #expect(findings.with(.refundOrphan).isEmpty)
        }
    }

    @Test func aNonCODSaleNeedsASettlementAfterThreeDays() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("A") {
                    $0.completedAt = "2026-02-21T12:00:00+07:00"; $0.cod = false
                },
                Order("B") {
                    $0.completedAt = "2026-02-21T12:00:00+07:00"; $0.cod = true
                },
            ])
            let exactly = try await store.reconcile(asOf: at("2026-02-24T05:00:00Z"))
            #expect(exactly.with(.settlementMissing).isEmpty)
            let later = try await store.reconcile(asOf: at("2026-02-24T05:00:01Z"))
            #expect(later.with(.settlementMissing).records == ["tiki:sale:A"])
            let finding = try #require(later.with(.settlementMissing).first)
            #expect(finding.content.expected == .int(1_000_000))
            #expect(finding.content.actual == .null)
            #expect(finding.content.amountAtRisk == 0)
        }
    }

    @Test func settledAmountsAreSummedAndComparedWithTheLatestRevision() async throws {
        try await withTemporaryStore { store in
            let nonCOD: (inout Order) -> Void = { $0.cod = false }
            try await store.push([Order("D", nonCOD), Order("E", nonCOD), Order("F", nonCOD), Order("G", nonCOD)])
            try await store.push(
                "vnpay/settlements",
                settlementsCSV([
                    ("tiki", "D", 999_000), ("tiki", "E", 400_000), ("tiki", "E", 600_000), ("tiki", "F", 1_000_000),
                    ("tiki", "G", 1_000_000),
                ]),
                format: .csv
            )
            let first = try await store.reconcile()
            #expect(first.with(.settlementMismatch).records == ["tiki:sale:D"])
            #expect(first.with(.settlementMismatch).first?.content.amountAtRisk == 1_000)
            #expect(first.with(.settlementMissing).isEmpty)
            // F is revised: the buyer paid 100,000 more shipping; G's revision changes nothing paid.
            try await store.push([
                Order("F") {
                    $0.shipping = 100_000; $0.cod = false
                },
                Order("G") {
                    $0.sellerName = "Tên mới"; $0.cod = false
                },
            ])
            let second = try await store.reconcile()
            #expect(second.with(.settlementMismatch).records == ["tiki:sale:D", "tiki:sale:F"])
            let revised = try #require(second.with(.settlementMismatch).first { $0.content.recordID == "tiki:sale:F" })
            #expect(revised.content.revision == 2)
            #expect(revised.content.expected == .int(1_100_000))
            #expect(revised.content.actual == .int(1_000_000))
            #expect(revised.content.amountAtRisk == 100_000)
        }
    }

    @Test func aSettlementForAnOrderNeverPushedIsAnOrphan() async throws {
        try await withTemporaryStore { store in
            try await store.push([Order("1")])
            try await store.push(
                "shopee/orders",
                #"{"orders":[{"order":{"order_sn":"P1","order_status":"SHIPPED"}}]}"#
            )
            try await store.push(
                "vnpay/settlements",
                settlementsCSV([("tiki", "1", 1_000_000), ("shopee", "P1", 50_000), ("tiki", "NOPE", 70_000)]),
                format: .csv
            )
            let findings = try await store.reconcile()
            let orphans = findings.with(.settlementOrphan)
            #expect(orphans.count == 1)
            #expect(orphans.first?.content.externalID == "NOPE")
            #expect(orphans.first?.content.platform == "tiki")
            #expect(orphans.first?.content.recordID == nil)
            #expect(orphans.first?.content.actual == .int(70_000))
        }
    }
}
