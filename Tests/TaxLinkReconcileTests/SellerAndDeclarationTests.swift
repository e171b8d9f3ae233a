import Foundation
import GRDB
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

@Suite("Sellers, declarations and ministry rejections")
struct SellerAndDeclarationTests {
    @Test func aSellerIDWithTwoTaxIDsAcrossLatestRevisionsConflicts() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") { $0.seller = "S7" },
                Order("2") {
                    $0.seller = "S7"; $0.taxID = "0312345673"
                },
                Order("3") {
                    $0.seller = "S8"; $0.taxID = "0312345673"
                },
                Order("4") { $0.seller = "S8" },
                Order("5") {
                    $0.seller = "S9"; $0.taxID = "0100.233.488"
                },  // the same code, written differently
                Order("6") { $0.seller = "S9" },
            ])
            // S8's first record is corrected to the seller's other id: only latest revisions count.
            try await store.push([Order("3") { $0.seller = "S8" }])
            let findings = try await store.reconcile()
            let conflicts = findings.with(.sellerIDConflict)
            #expect(conflicts.map(\.content.platformSellerID) == ["S7"])
            #expect(conflicts.first?.content.actual == .array(["0100233488", "0312345673"]))
            #expect(conflicts.first?.content.scope == .seller)
        }
    }

    @Test func declarationsMatchOnlyExactly() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") { $0.seller = "A" }, Order("2") { $0.seller = "B" }, Order("3") { $0.seller = "C" },
                Order("4") { $0.seller = "D" }, Order("5") { $0.seller = "E" },
            ])
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed(
                    "2026-01",
                    [
                        DeclaredRow(seller: "A", revenue: 1_000_000, vat: 10_000, pit: 5_000),
                        DeclaredRow(seller: "B", revenue: 1_000_000, vat: 10_001, pit: 4_999),
                        DeclaredRow(seller: "C", revenue: 1_000_000, vat: 9_998, pit: 5_000),
                        DeclaredRow(seller: "D", revenue: 999_999, vat: 10_000, pit: 5_000),
                        DeclaredRow(seller: "Z", revenue: 500_000, vat: 5_000, pit: 2_500),
                    ]
                )
            )
            let findings = try await store.reconcile()
            #expect(
                findings.with(.declarationMismatch).map { $0.content.platformSellerID ?? "" }.sorted() == [
                    "B", "C", "D", "Z",
                ]
            )
            let short = try #require(findings.first { $0.content.platformSellerID == "C" })
            #expect(short.content.amountAtRisk == 2)
            #expect(short.content.category == "goods")
            #expect(short.content.taxPeriod == "2026-01")
            #expect(
                short.content.expected
                    == .object(["revenue": .int(1_000_000), "vat": .int(10_000), "pit": .int(5_000)])
            )
            #expect(
                short.content.actual == .object(["revenue": .int(1_000_000), "vat": .int(9_998), "pit": .int(5_000)])
            )
            let missing = findings.with(.declarationMissing)
            #expect(missing.map(\.content.platformSellerID) == ["E"])
            #expect(missing.first?.content.amountAtRisk == 15_000)
            #expect(missing.first?.content.scope == .sellerPeriod)
        }
    }

    @Test func anAmendedDeclarationReplacesTheFirst() async throws {
        try await withTemporaryStore { store in
            try await store.push([Order("1") { $0.seller = "A" }, Order("2") { $0.seller = "B" }])
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed("2026-01", [DeclaredRow(seller: "A", revenue: 1_000_000, vat: 10_000, pit: 5_000)])
            )
            let first = try await store.reconcile()
            #expect(first.with(.declarationMissing).map(\.content.platformSellerID) == ["B"])
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed(
                    "2026-01",
                    [
                        DeclaredRow(seller: "A", revenue: 1_000_000, vat: 10_000, pit: 5_000),
                        DeclaredRow(seller: "B", revenue: 1_000_000, vat: 10_000, pit: 5_000),
                    ]
                )
            )
            let second = try await store.reconcile()
            #expect(second.isEmpty)
            let old = try #require(try await store.finding(id: first.with(.declarationMissing)[0].content.id))
            #expect(old.status == .resolved && old.resolution == "superseded")
        }
    }

    @Test func refundsCountInThePeriodTheyCompleted() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1"),
                RefundAndSettlementTests.refund("R1", of: "1", 400_000, at: "2026-02-03T10:00:00+07:00"),
                Order("2") { $0.completedAt = "2026-02-05T10:00:00+07:00" },
            ])
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed("2026-01", [DeclaredRow(revenue: 1_000_000, vat: 10_000, pit: 5_000)])
            )
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed("2026-02", [DeclaredRow(revenue: 600_000, vat: 6_000, pit: 3_000)])
            )
            let findings = try await store.reconcile(asOf: at("2026-03-25T00:00:00Z"))
            #expect(findings.isEmpty, "\(findings.map(\.content))")
            let february = try await PeriodSchedule.compute(
                storage: store,
                platform: "tiki",
                period: TaxPeriod("2026-02")!
            )
            #expect(february.rows.map(\.revenue) == [600_000])
            #expect(february.totals.vat == 6_000 && february.totals.pit == 3_000)
            let january = try await PeriodSchedule.compute(
                storage: store,
                platform: "tiki",
                period: TaxPeriod("2026-01")!
            )
            #expect(january.totals.revenue == 1_000_000)
        }
    }

    @Test func reportedWithholdingIsSplitPerGroupInProportionToTheExpectedAmounts() async throws {
        try await withTemporaryStore { store in
            // Expected: goods 10,000 + 5,000; services 50,000 + 20,000. Reported 2 đồng short on VAT.
            try await store.push([
                Order("1") {
                    $0.lines = [("goods", 1_000_000), ("services", 1_000_000)]; $0.vat = 59_998
                }
            ])
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed(
                    "2026-01",
                    [
                        DeclaredRow(category: "goods", revenue: 1_000_000, vat: 9_999, pit: 5_000),
                        DeclaredRow(category: "services", revenue: 1_000_000, vat: 49_999, pit: 20_000),
                    ]
                )
            )
            let findings = try await store.reconcile()
            #expect(findings.filter { $0.content.code.rawValue.hasPrefix("DECLARATION") }.isEmpty)
            #expect(findings.with(.withholdingMismatch).isEmpty)  // 2 đồng over two groups is within tolerance
        }
    }

    @Test func ministryRejectionsOfTheLatestRevision() async throws {
        try await withTemporaryStore { store, path in
            try await store.push([Order("1"), Order("2")])
            try await store.push([Order("2") { $0.sellerName = "Sửa tên" }])
            let database = try DatabaseQueue(path: path)
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO ministry_rejections (batch_id, record_id, revision, code, message) VALUES
                        ('B1', 'tiki:sale:1', 1, 'TAX_CODE_INVALID', 'mã số thuế không hợp lệ'),
                        ('B1', 'tiki:sale:2', 1, 'SCHEMA_INVALID', 'bad')
                        """
                )
            }
            let findings = try await store.reconcile()
            let rejected = findings.with(.ministryRejected)
            #expect(rejected.records == ["tiki:sale:1"])
            #expect(rejected.first?.content.amountAtRisk == 15_000)
            #expect(rejected.first?.content.actual == "TAX_CODE_INVALID")
        }
    }
}
