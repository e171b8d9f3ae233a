import Foundation
import GRDB
import TaxLinkCore
import TaxLinkReconcile
import Testing

@testable import TaxLinkStore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Data already in a database may predate the amount ceiling or be damaged. Reconciling it must not stop
/// the process: what cannot be reconciled becomes a `RECONCILE_ERROR` finding, the rest is reconciled, and
/// the schedule leaves it out and says so. (Before, these values trapped on `Int64` overflow, or failed
/// the whole run.)
@Suite("A poisoned database never stops reconciliation")
struct PoisonedDatabaseTests {
    /// Rewrites stored rows straight through GRDB, as a database written before a limit existed holds them.
    /// A damaged record body gets the narrow columns (what reconciliation reads) that the migration derives
    /// from it, as a record stored before those columns existed has them.
    static func plant(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: sql)
            if sql.hasPrefix("UPDATE records SET body") { try db.execute(sql: SQLiteStore.recordFactsBackfill) }
        }
    }

    /// Two clean sales of seller S1 (1,000,000 đồng each, VAT 10,000, PIT 5,000).
    static func twoSales(_ store: SQLiteStore) async throws {
        try await store.push([Order("1"), Order("2")])
    }

    @Test(
        "a stored record that cannot be reconciled becomes RECONCILE_ERROR",
        arguments: [
            // Two sales of one seller at 6×10^18: the seller ledger's sum overflowed.
            ("UPDATE records SET body = replace(body, '1000000', '6000000000000000000')", ["1", "2"]),
            // VAT at 2^63−1: the ledger's VAT sum overflowed.
            (
                "UPDATE records SET body = replace(body, '\"vat\":10000', '\"vat\":9223372036854775807') WHERE external_id = '2'",
                ["2"]
            ),
            // An integer beyond Int64: the body scanner overflowed.
            (
                "UPDATE records SET body = replace(body, '\"pit\":5000', '\"pit\":9223372036854775808') WHERE external_id = '2'",
                ["2"]
            ),
            // A negative discount (the schema says ≥ 0).
            (
                "UPDATE records SET body = replace(body, '\"platform_discount\":0', '\"platform_discount\":-9223372036854775807') WHERE external_id = '2'",
                ["2"]
            ),
            // A completion time no calendar holds: the tax period's arithmetic overflowed.
            ("UPDATE records SET occurred_at = 9223372036854775807 WHERE external_id = '2'", ["2"]),
            // A body that is not JSON: it failed the whole run.
            ("UPDATE records SET body = '{\"seller\":' WHERE external_id = '2'", ["2"]),
        ]
    )
    func poisonedRecords(sql: String, poisoned: [String]) async throws {
        try await withTemporaryStore { store, path in
            try await Self.twoSales(store)
            try Self.plant(path, sql)
            let findings = try await store.reconcile()
            let errors = findings.with(.reconcileError)
            #expect(errors.records == poisoned.map { "tiki:sale:\($0)" })
            #expect(errors.allSatisfy { $0.content.severity == .critical && $0.content.scope == .record })
            #expect(errors.allSatisfy { $0.content.detail.hasPrefix("the record cannot be reconciled: ") })
            // The other record is reconciled as usual: a clean sale shows nothing.
            #expect(findings.count == errors.count, "\(findings.map(\.content))")

            let schedule = try await PeriodSchedule.compute(
                storage: store,
                platform: "tiki",
                period: try #require(TaxPeriod("2026-01"))
            )
            #expect(schedule.excluded.map(\.subject) == poisoned.map { "tiki:sale:\($0)" })
            #expect(schedule.totals.revenue == Int64(2 - poisoned.count) * 1_000_000)
            let json = String(decoding: schedule.render(.json), as: UTF8.self)
            #expect(json.contains(#""subject":"tiki:sale:2""#))
        }
    }

    @Test func aDeclarationRowBeyondTheCeilingIsAnErrorFindingNotAnAbort() async throws {
        try await withTemporaryStore { store, path in
            try await store.push([Order("1"), Order("2") { $0.seller = "S2" }])
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed(
                    "2026-01",
                    [
                        DeclaredRow(seller: "S1", revenue: 1_000_000, vat: 10_000, pit: 5_000),
                        DeclaredRow(seller: "S2", revenue: 1_000_000, vat: 10_000, pit: 4_000),
                    ]
                )
            )
            // VAT 2^63−1 and PIT 1 on S1's row: VAT + PIT overflowed.
            try Self.plant(
                path,
                """
                UPDATE declarations SET rows = replace(replace(rows, '"pit":5000', '"pit":1'), \
                '"vat":10000,"pit":1', '"vat":9223372036854775807,"pit":1')
                """
            )
            let findings = try await store.reconcile()
            let error = try #require(findings.with(.reconcileError).first)
            #expect(error.content.platformSellerID == "S1" && error.content.category == "goods")
            #expect(error.content.scope == .sellerPeriod && error.content.taxPeriod == "2026-01")
            #expect(findings.with(.declarationMismatch).map(\.content.platformSellerID) == ["S2"])
            #expect(findings.with(.declarationMissing).isEmpty)
        }
    }

    @Test func aPendingReturnWithAReversalBeyondTheCeilingIsAnErrorFinding() async throws {
        try await withTemporaryStore { store, path in
            let claim = #"""
                {"returns": [{"return": {"return_sn": "R1", "order_sn": "NOT-YET", "status": "COMPLETED",
                  "update_time": 1768449180, "item": [{"item_id": 11, "item_sku": "TS", "amount": 1,
                  "refund_amount": 150000}]}, "withholding_reversal": {"vat": 1500, "pit": 750}}]}
                """#
            try await store.push("shopee/returns", claim)
            // VAT 2^63−1 and PIT 1: the orphan's amount at risk (VAT + PIT) overflowed.
            try Self.plant(
                path,
                #"UPDATE return_claims SET body = replace(body, '"vat":1500,"pit":750', '"vat":9223372036854775807,"pit":1')"#
            )
            let findings = try await store.reconcile()
            #expect(findings.codes == [.reconcileError])
            #expect(findings.first?.content.recordID == "shopee:refund:R1")
        }
    }

    @Test func netFiguresBeyondTheCeilingFromValidRecordsAreAnErrorFinding() async throws {
        try await withTemporaryStore { store in
            // Each record is within the ceiling; the seller's net revenue of the two is not.
            let large: [(category: String, amount: Int64)] = [("goods", 900_000_000_000_000)]
            try await store.push([Order("1") { $0.lines = large }, Order("2") { $0.lines = large }])
            let findings = try await store.reconcile()
            let errors = findings.with(.reconcileError)
            #expect(errors.map(\.content.platformSellerID) == ["S1"])
            #expect(errors.first?.content.detail.contains("10^15") == true)
            let schedule = try await PeriodSchedule.compute(
                storage: store,
                platform: "tiki",
                period: try #require(TaxPeriod("2026-01"))
            )
            #expect(schedule.rows.isEmpty)
            #expect(schedule.excluded.map(\.subject) == ["seller S1, goods"])
        }
    }

    @Test func aSellerWhoseFiguresAndDeclaredRowAreBothOutOfRangeHasOneErrorFinding() async throws {
        try await withTemporaryStore { store, path in
            let large: [(category: String, amount: Int64)] = [("goods", 900_000_000_000_000)]
            try await store.push([Order("1") { $0.lines = large }, Order("2") { $0.lines = large }])
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed("2026-01", [DeclaredRow(seller: "S1", revenue: 1, vat: 10_000, pit: 5_000)])
            )
            try Self.plant(
                path,
                "UPDATE declarations SET rows = replace(rows, '\"vat\":10000', '\"vat\":9223372036854775807')"
            )
            let findings = try await store.reconcile()
            #expect(findings.codes == [.reconcileError])
            #expect(Set(findings.map(\.content.id)).count == findings.count)
        }
    }

    @Test func scheduleRowsThatWouldTakeTheTotalsBeyondTheCeilingAreLeftOut() async throws {
        try await withTemporaryStore { store in
            let large: [(category: String, amount: Int64)] = [("goods", 900_000_000_000_000)]
            try await store.push(
                ["A", "B", "C"].map { seller in
                    Order(seller) {
                        $0.seller = seller; $0.lines = large
                    }
                }
            )
            let schedule = try await PeriodSchedule.compute(
                storage: store,
                platform: "tiki",
                period: try #require(TaxPeriod("2026-01"))
            )
            #expect(schedule.rows.map(\.platformSellerID) == ["A"])
            #expect(schedule.totals.revenue == 900_000_000_000_000)
            #expect(schedule.excluded.map(\.subject) == ["seller B, goods", "seller C, goods"])
        }
    }

    @Test func theScheduleXMLIsWellFormedWhateverTheNamesHold() async throws {
        try await withTemporaryStore { store, path in
            try await Self.twoSales(store)
            try await store.push([
                Order("3") {
                    $0.seller = "S3"; $0.sellerName = "Shop <&> \"'"
                }
            ])
            // Names stored before the adapters refused control characters.
            try Self.plant(
                path,
                #"UPDATE records SET body = replace(body, '"name":"Hộ kinh doanh Minh Anh"', '"name":"Hộ\u0001kinh\u0000doanh\u001b\uffff\ufffe\t"')"#
            )
            let schedule = try await PeriodSchedule.compute(
                storage: store,
                platform: "tiki",
                period: try #require(TaxPeriod("2026-01"))
            )
            let xml = schedule.render(.xml)
            let parser = XMLParser(data: Data(xml))
            let collector = TextCollector()
            parser.delegate = collector
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            #expect(collector.text.contains("Hộ\u{FFFD}kinh\u{FFFD}doanh\u{FFFD}\u{FFFD}\u{FFFD}\t"))
            #expect(collector.text.contains("Shop <&> \"'"))
            let allowedControls: Set<UInt8> = [0x09, 0x0A, 0x0D]
            let controls = xml.filter { (byte: UInt8) -> Bool in byte < 0x20 && !allowedControls.contains(byte) }
            #expect(controls.isEmpty)
        }
    }

    @Test func negativeNetDeclarationRowsAreComparedNotRejected() async throws {
        try await withTemporaryStore { store in
            // February: no sales, one refund of 400,000 (VAT 4,000, PIT 2,000): the net is negative.
            try await store.push([
                Order("1"),
                RefundAndSettlementTests.refund("R1", of: "1", 400_000, at: "2026-02-03T10:00:00+07:00"),
            ])
            let summary = try await store.push(
                "tiki/declarations",
                DeclaredRow.feed("2026-02", [DeclaredRow(revenue: -400_000, vat: -4_000, pit: -2_000)])
            )
            #expect(summary.rejected.isEmpty)
            var findings = try await store.reconcile(asOf: at("2026-03-25T00:00:00Z"))
            #expect(findings.isEmpty, "\(findings.map(\.content))")
            // One đồng of PIT off is a mismatch: any difference counts.
            try await store.push(
                "tiki/declarations",
                DeclaredRow.feed("2026-02", [DeclaredRow(revenue: -400_000, vat: -4_000, pit: -2_001)])
            )
            findings = try await store.reconcile(asOf: at("2026-03-25T00:00:00Z"))
            #expect(findings.codes == [.declarationMismatch])
            #expect(findings.first?.content.amountAtRisk == 1)
        }
    }
}

/// Collects the character data of an XML document.
private final class TextCollector: NSObject, XMLParserDelegate {
    var text = ""

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }
}
