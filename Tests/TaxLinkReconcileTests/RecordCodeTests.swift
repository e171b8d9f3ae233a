import Foundation
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

/// The eight codes a record shows by itself, each flagged in one case and not in a close one.
@Suite("Record codes")
struct RecordCodeTests {
    @Test func taxIDMissingAndInvalidQuarantineWithTheExpectedTaxAtRisk() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") { $0.taxID = "" },
                Order("2") { $0.taxID = "12345" },
                Order("3") { $0.taxID = "0100233489" },  // wrong check digit
                Order("4"),  // valid tax code
                Order("5") { $0.taxID = "012345678901" },  // 12-digit personal id
            ])
            let findings = try await store.reconcile()
            #expect(findings.with(.taxIDMissing).records == ["tiki:sale:1"])
            #expect(findings.with(.taxIDInvalid).records == ["tiki:sale:2", "tiki:sale:3"])
            let missing = try #require(findings.with(.taxIDMissing).first)
            #expect(missing.content.amountAtRisk == 15_000)
            #expect(missing.content.severity == .critical)
            #expect(findings.filter { ["tiki:sale:4", "tiki:sale:5"].contains($0.content.recordID) }.isEmpty)
        }
    }

    @Test func amountInconsistentCarriesTheDifference() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") { $0.buyerPaid = 1_000_700 },
                Order("2") {
                    $0.shipping = 30_000; $0.platformDiscount = 10_000
                },
            ])
            let findings = try await store.reconcile()
            let finding = try #require(findings.with(.amountInconsistent).first)
            #expect(findings.with(.amountInconsistent).count == 1)
            #expect(finding.content.recordID == "tiki:sale:1")
            #expect(finding.content.amountAtRisk == 700)
            #expect(finding.content.expected == .int(1_000_000))
            #expect(finding.content.actual == .int(1_000_700))
            #expect(finding.content.severity == .warning)
        }
    }

    @Test func withholdingMissingOnlyForWithheldSellers() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") {
                    $0.vat = 0; $0.pit = 0
                },
                Order("2") {
                    $0.type = "enterprise"; $0.vat = 0; $0.pit = 0
                },
                Order("3") {
                    $0.type = "individual"; $0.taxID = "012345678901"; $0.vat = 0; $0.pit = 0
                },
            ])
            let findings = try await store.reconcile()
            #expect(findings.with(.withholdingMissing).records == ["tiki:sale:1", "tiki:sale:3"])
            #expect(findings.with(.withholdingMissing).first?.content.amountAtRisk == 15_000)
            #expect(findings.with(.withholdingMismatch).isEmpty)
        }
    }

    @Test func enterprisesExpectNothingSoReportedWithholdingIsAMismatch() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") {
                    $0.type = "enterprise"; $0.vat = 10_000; $0.pit = 5_000
                }
            ])
            let findings = try await store.reconcile()
            let finding = try #require(findings.with(.withholdingMismatch).first)
            #expect(finding.content.expected == .object(["vat": .int(0), "pit": .int(0)]))
            #expect(finding.content.amountAtRisk == 0)
        }
    }

    @Test func withholdingToleranceIsOneDongPerBusinessGroup() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") { $0.vat = 10_001 },  // 1 đồng over, one group: allowed
                Order("2") { $0.vat = 9_998 },  // 2 đồng under: flagged
                Order("3") { $0.pit = 4_999 },  // 1 đồng under: allowed
                Order("4") {  // two groups: 2 đồng allowed, 3 flagged
                    $0.lines = [("goods", 1_000_000), ("services", 1_000_000)]
                    $0.vat = 60_002
                },
                Order("5") {
                    $0.lines = [("goods", 1_000_000), ("services", 1_000_000)]
                    $0.vat = 59_997
                },
            ])
            let findings = try await store.reconcile()
            #expect(findings.with(.withholdingMismatch).records == ["tiki:sale:2", "tiki:sale:5"])
            let under = try #require(findings.with(.withholdingMismatch).first { $0.content.recordID == "tiki:sale:2" })
            #expect(under.content.amountAtRisk == 2)
            #expect(under.content.actual == .object(["vat": .int(9_998), "pit": .int(5_000)]))
        }
    }

    @Test func unknownCategoryExpectsTheHighestRates() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") { $0.lines = [("", 1_000_000)] },  // expects 5% + 2%
                Order("2") {
                    $0.lines = [("", 1_000_000)]; $0.vat = 10_000; $0.pit = 5_000
                },  // goods rates: short
                Order("3"),
            ])
            let findings = try await store.reconcile()
            #expect(findings.with(.categoryUnknown).records == ["tiki:sale:1", "tiki:sale:2"])
            #expect(findings.with(.withholdingMismatch).records == ["tiki:sale:2"])
            let short = try #require(findings.with(.withholdingMismatch).first)
            #expect(short.content.expected == .object(["vat": .int(50_000), "pit": .int(20_000)]))
            #expect(short.content.amountAtRisk == 55_000)
        }
    }

    @Test func nonResidentsExpectTheNonResidentPITRate() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") { $0.nonResident = true },  // goods: PIT 1% = 10,000
                Order("2") {
                    $0.nonResident = true; $0.pit = 5_000
                },  // the resident rate: flagged
            ])
            let findings = try await store.reconcile()
            #expect(findings.with(.withholdingMismatch).records == ["tiki:sale:2"])
            #expect(findings.with(.withholdingMismatch).first?.content.amountAtRisk == 5_000)
        }
    }

    @Test func lateReportFromThe21stOfTheFollowingMonthVietnamTime() async throws {
        try await withTemporaryStore { store in
            try await store.push([Order("1")], receivedAt: at("2026-02-20T16:59:59Z"))  // 20 Feb 23:59:59 VN
            try await store.push([Order("2")], receivedAt: at("2026-02-20T17:00:00Z"))  // 21 Feb 00:00 VN
            let findings = try await store.reconcile(asOf: at("2026-03-01T00:00:00Z"))
            #expect(findings.with(.lateReport).records == ["tiki:sale:2"])
            #expect(findings.with(.lateReport).first?.content.severity == .info)
        }
    }

    @Test func futureDatedMoreThanFiveMinutesAfterReceipt() async throws {
        try await withTemporaryStore { store in
            let received = at("2026-01-15T03:00:00Z")  // 10:00 Vietnam time
            try await store.push(
                [
                    Order("1") { $0.completedAt = "2026-01-15T10:05:00+07:00" },  // exactly 5 minutes: fine
                    Order("2") { $0.completedAt = "2026-01-15T10:05:01+07:00" },
                ],
                receivedAt: received
            )
            let findings = try await store.reconcile(asOf: at("2026-01-16T00:00:00Z"))
            #expect(findings.with(.futureDated).records == ["tiki:sale:2"])
            #expect(findings.with(.futureDated).first?.content.severity == .critical)
        }
    }
}
