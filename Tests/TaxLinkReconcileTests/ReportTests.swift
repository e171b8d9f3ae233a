import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

@Suite("Reports")
struct ReportTests {
    static func query(_ parameters: [String: String]) throws -> FindingQuery {
        try FindingQuery(parameters: parameters)
    }

    @Test func eachFilterSelectsItsFindings() async throws {
        try await withTemporaryStore { store in
            try await SampleFeedsTests.ingestSamples(into: store)
            try await store.reconcile()
            func count(_ parameters: [String: String]) async throws -> Int {
                let page = try await store.findings(try Self.query(parameters))
                #expect(page.total == page.findings.count)
                return page.total
            }
            #expect(try await count([:]) == 24)
            #expect(try await count(["platform": "tiki"]) == 7)
            #expect(try await count(["platform": "TIKI"]) == 7)
            #expect(try await count(["period": "2026-01"]) == 24)
            #expect(try await count(["period": "2026-02"]) == 0)
            #expect(try await count(["code": "SETTLEMENT_MISMATCH"]) == 1)
            #expect(try await count(["code": "settlement_mismatch,WITHHOLDING_MISMATCH"]) == 2)
            #expect(try await count(["severity": "warning"]) == 1)
            #expect(try await count(["severity": "info"]) == 23)
            #expect(try await count(["seller": "30021"]) == 6)
            #expect(try await count(["platform": "tiki", "code": "SETTLEMENT_MISSING"]) == 1)
            #expect(try await count(["status": "open"]) == 24)
            let one = try #require(
                try await store.findings(try Self.query(["code": "SETTLEMENT_MISSING"])).findings.first
            )
            _ = try await FindingWorkflow(storage: store).change(
                id: one.content.id,
                to: "acknowledged",
                note: "ok",
                actor: "a"
            )
            #expect(try await count(["status": "acknowledged"]) == 1)
            #expect(try await count(["status": "open,acknowledged"]) == 24)
            #expect(try await count(["status": "resolved"]) == 0)
            for bad in [["code": "NOPE"], ["period": "2026-13"], ["sort": "size"], ["limit": "-1"], ["status": "done"]]
            {
                #expect(throws: ReconcileError.self) { try Self.query(bad) }
            }
        }
    }

    @Test func sortingAndPagingBoundaries() async throws {
        try await withTemporaryStore { store in
            try await SampleFeedsTests.ingestSamples(into: store)
            try await store.reconcile(asOf: sampleAsOf)
            try await store.push([
                Order("late") {
                    $0.vat = 0; $0.pit = 0; $0.completedAt = "2026-02-05T10:00:00+07:00"
                }
            ])
            try await store.reconcile(asOf: sampleAsOf.adding(seconds: 86_400))
            let all = try await store.findings(FindingQuery()).findings
            #expect(all.count == 25)
            #expect(all.first?.content.code == .withholdingMissing)  // 15,000 at risk
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.content.amountAtRisk >= $1.content.amountAtRisk })
            let detected = try await store.findings(try Self.query(["sort": "detected"])).findings
            #expect(detected.first?.content.recordID == "tiki:sale:late")
            #expect(zip(detected, detected.dropFirst()).allSatisfy { $0.detectedAt >= $1.detectedAt })
            var paged: [StoredFinding] = []
            for offset in stride(from: 0, to: 25, by: 10) {
                let page = try await store.findings(try Self.query(["limit": "10", "offset": String(offset)]))
                #expect(page.total == 25)
                paged += page.findings
            }
            #expect(paged == all)
            #expect(try await store.findings(try Self.query(["limit": "10", "offset": "20"])).findings.count == 5)
            #expect(try await store.findings(try Self.query(["limit": "1", "offset": "24"])).findings == [all[24]])
            #expect(try await store.findings(try Self.query(["offset": "25"])).findings.isEmpty)
            #expect(try await store.findings(try Self.query(["limit": "0"])).findings.isEmpty)
            #expect(try await store.findings(try Self.query(["offset": "3"])).findings == Array(all.dropFirst(3)))
        }
    }

    static func finding(detail: String, taxID: String?, seller: String) -> StoredFinding {
        StoredFinding(
            content: FindingContent(
                id: "d-0123456789abcdef",
                code: .declarationMismatch,
                scope: .sellerPeriod,
                severity: .critical,
                platform: "tiki",
                taxPeriod: "2026-01",
                platformSellerID: seller,
                category: "goods",
                taxID: taxID,
                recordID: nil,
                externalID: nil,
                revision: nil,
                expected: .object(["revenue": .int(1_000_000), "vat": .int(10_000), "pit": .int(5_000)]),
                actual: .string("-5"),
                amountAtRisk: 1_500_000,
                detail: detail
            ),
            status: .open,
            detectedAt: sampleAsOf,
            updatedAt: sampleAsOf,
            active: true,
            resolution: nil
        )
    }

    @Test func csvRoundTripsVietnameseTextCommasAndQuotes() throws {
        let detail = "Hộ kinh doanh \"Minh Anh\", Quận 1,\nthuế GTGT chênh lệch"
        let finding = Self.finding(detail: detail, taxID: "0100233488", seller: "88123")
        let rows = try CSVReader.rows(of: DiscrepancyReport.render([finding, finding], format: .csv))
        #expect(rows.count == 3)
        #expect(rows[0].fields == DiscrepancyReport.fields)
        let cells = Dictionary(uniqueKeysWithValues: zip(rows[0].fields, rows[1].fields))
        #expect(cells["detail"] == detail)
        #expect(cells["expected"] == #"{"revenue":1000000,"vat":10000,"pit":5000}"#)
        #expect(cells["amount_at_risk"] == "1500000")
        #expect(cells["record_id"] == "")
        #expect(cells["detected_at"] == "2026-02-25T00:00:00Z")
        #expect(rows[2].fields == rows[1].fields)
    }

    @Test(arguments: ["=HYPERLINK(\"http://x\",\"y\")", "+84 90", "-1+2", "@SUM(A1)"])
    func formulaCellsAreNeutralised(_ dangerous: String) throws {
        let finding = Self.finding(detail: dangerous, taxID: dangerous, seller: dangerous)
        let rows = try CSVReader.rows(of: DiscrepancyReport.render([finding], format: .csv))
        let cells = Dictionary(uniqueKeysWithValues: zip(rows[0].fields, rows[1].fields))
        for field in ["detail", "tax_id", "platform_seller_id"] { #expect(cells[field] == "'" + dangerous) }
        #expect(cells["actual"] == "'-5")
        #expect(cells["id"] == "d-0123456789abcdef")
    }

    @Test func aFormulaTaxIDFromAFeedIsNeutralisedInTheCSV() async throws {
        try await withTemporaryStore { store in
            try await store.push([Order("1") { $0.taxID = "=1+2" }])
            let findings = try await store.reconcile()
            #expect(findings.with(.taxIDInvalid).first?.content.taxID == "=1+2")
            let text = String(decoding: DiscrepancyReport.render(findings, format: .csv), as: UTF8.self)
            #expect(text.contains(",'=1+2,"))
            #expect(!text.contains(",=1+2,"))
        }
    }

    @Test func jsonAndJSONLinesCarryEveryField() async throws {
        try await withTemporaryStore { store in
            try await SampleFeedsTests.ingestSamples(into: store)
            let findings = try await store.reconcile()
            let array = try JSONParser.parse(DiscrepancyReport.render(findings, format: .json))
            #expect(array.arrayValue?.count == 24)
            let lines = String(decoding: DiscrepancyReport.render(findings, format: .jsonl), as: UTF8.self)
                .split(separator: "\n")
            #expect(lines.count == 24)
            let first = try JSONParser.parse(Array(lines[0].utf8))
            for field in DiscrepancyReport.fields { #expect(first[field] != nil, "\(field)") }
            #expect(DiscrepancyReport.render([], format: .json) == Array("[]\n".utf8))
        }
    }

    @Test func theScheduleHasOneRowPerSellerAndGroupWithTotals() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") {
                    $0.seller = "B"; $0.sellerName = "Hộ <Bình> & Cộng sự"
                },
                Order("2") {
                    $0.seller = "A"; $0.lines = [("goods", 500_000), ("services", 200_000)]
                },
                Order("3") {
                    $0.seller = "A"; $0.taxID = "012345678901"; $0.type = "individual"
                },
            ])
            let schedule = try await PeriodSchedule.compute(
                storage: store,
                platform: "tiki",
                period: TaxPeriod("2026-01")!
            )
            #expect(
                schedule.rows.map { "\($0.group.rawValue)/\($0.platformSellerID)" } == [
                    "goods/A", "goods/B", "services/A",
                ]
            )
            #expect(schedule.groupTotals.map(\.group) == [.goods, .services])
            #expect(schedule.groupTotals[0].totals.revenue == 2_500_000)
            #expect(schedule.totals.revenue == 2_700_000)
            #expect(schedule.totals.vat == 25_000 + 10_000 && schedule.totals.pit == 12_500 + 4_000)
            let xml = String(decoding: schedule.render(.xml), as: UTF8.self)
            for column in 2...12 { #expect(xml.contains("<ct\(column < 10 ? "0" : "")\(column)>")) }
            #expect(xml.contains("Hộ &lt;Bình&gt; &amp; Cộng sự"))
            #expect(
                xml.contains(
                    "<TongCong><ct09>2700000</ct09><ct10>35000</ct10><ct11>16500</ct11><ct12>51500</ct12></TongCong>"
                )
            )
            let rows = try CSVReader.rows(of: schedule.render(.csv))
            #expect(
                rows.map { $0.fields[0] } == [
                    "row_type", "seller", "seller", "seller", "group_total", "group_total", "total",
                ]
            )
            let json = try JSONParser.parse(schedule.render(.json))
            #expect(json["rows"]?.arrayValue?.count == 3)
            #expect(json["totals"]?["total"] == .int(51_500))
        }
    }
}
