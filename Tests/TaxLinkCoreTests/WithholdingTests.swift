import Testing

@testable import TaxLinkCore

@Suite("Expected withholding")
struct WithholdingTests {
    static let received = Timestamp.parseISO8601("2026-02-10T02:00:00Z")!

    static func record(
        lines: [Line], sellerDiscount: Int64 = 0, type: SellerType = .household, resident: Bool = true,
        withholding: Withholding = Withholding(vat: 0, pit: 0), occurredAt: String = "2026-01-15T00:00:00Z"
    ) -> TransactionRecord {
        let gross = lines.reduce(0) { $0 + $1.amount }
        return TransactionRecord(
            platform: "tiki", kind: .sale, externalID: "1", occurredAt: Timestamp.parseISO8601(occurredAt)!,
            seller: Seller(
                platformSellerID: "s", taxCode: "0100233488", nationalID: nil, name: "n", type: type, resident: resident),
            lines: lines,
            amounts: Amounts(
                gross: gross, sellerDiscount: sellerDiscount, platformDiscount: 0, shippingFee: 0,
                buyerPaid: gross - sellerDiscount, platformFees: 0),
            withholding: withholding, source: RecordSource(feedID: "f", receivedAt: received))
    }

    @Test func goodsResident() {
        let expected = ExpectedWithholding(
            record: Self.record(lines: [Line(sku: "", name: "", category: .goods, quantity: 2, amount: 300000)],
                sellerDiscount: 20000))
        #expect(expected.vat == 2800)
        #expect(expected.pit == 1400)
    }

    @Test func discountSplitAcrossGroupsRoundedDownRemainderToLargest() {
        // Discount 100 over lines 1 (goods) and 2 (services): shares 33 and 66, remainder 1 to the largest.
        let expected = ExpectedWithholding(
            record: Self.record(
                lines: [
                    Line(sku: "", name: "", category: .goods, quantity: 1, amount: 100_000),
                    Line(sku: "", name: "", category: .services, quantity: 1, amount: 200_000),
                ], sellerDiscount: 100))
        #expect(expected.groups.map(\.revenue) == [100_000 - 33, 200_000 - 67])
        #expect(expected.tolerance == 2)
    }

    @Test func roundHalfUp() {
        // 0.5% of 100 = 0.5 → 1; 1% of 150 = 1.5 → 2.
        let expected = ExpectedWithholding(
            record: Self.record(lines: [Line(sku: "", name: "", category: .goods, quantity: 1, amount: 150)]))
        #expect(expected.vat == 2)
        #expect(expected.pit == 1)
    }

    @Test func enterpriseExpectsNothing() {
        let expected = ExpectedWithholding(
            record: Self.record(lines: [Line(sku: "", name: "", category: .services, quantity: 1, amount: 1_000_000)],
                type: .enterprise))
        #expect(expected.total == 0)
    }

    @Test func nonResidentAndUnknownRates() {
        let nonResident = ExpectedWithholding(
            record: Self.record(lines: [Line(sku: "", name: "", category: .transport, quantity: 1, amount: 1_000_000)],
                resident: false))
        #expect(nonResident.vat == 30000)
        #expect(nonResident.pit == 20000)
        let unknown = ExpectedWithholding(
            record: Self.record(lines: [Line(sku: "", name: "", category: .unknown, quantity: 1, amount: 1_000_000)]))
        #expect(unknown.vat == 50000)
        #expect(unknown.pit == 20000)
    }

    @Test func toleranceIsOneDongPerGroup() {
        let line = Line(sku: "", name: "", category: .goods, quantity: 1, amount: 1_000_000)
        let within = RecordAssessment(
            record: Self.record(lines: [line], withholding: Withholding(vat: 10001, pit: 4999)), sourceDifference: nil)
        #expect(within.flags.isEmpty)
        let outside = RecordAssessment(
            record: Self.record(lines: [line], withholding: Withholding(vat: 10002, pit: 5000)), sourceDifference: nil)
        #expect(outside.flags == [.withholdingMismatch])
        let missing = RecordAssessment(record: Self.record(lines: [line]), sourceDifference: nil)
        #expect(missing.flags == [.withholdingMissing])
        #expect(missing.findings[0].amountAtRisk == 15000)
    }

    @Test func laterDecreeTakesOverAtItsDate() {
        var doubled = RateTable.decree117
        doubled.effectiveFrom = Timestamp.parseISO8601("2026-01-20T00:00:00+07:00")!
        doubled.rates[.goods] = GroupRates(vat: 200, pitResident: 100, pitNonResident: 200)
        let schedule = RateSchedule(tables: [doubled, .decree117])
        let line = Line(sku: "", name: "", category: .goods, quantity: 1, amount: 1_000_000)
        #expect(ExpectedWithholding(record: Self.record(lines: [line]), schedule: schedule).vat == 10000)
        #expect(
            ExpectedWithholding(
                record: Self.record(lines: [line], occurredAt: "2026-01-25T00:00:00Z"), schedule: schedule
            ).vat == 20000)
    }

    @Test func ingestFlagsFromTheRecordItself() throws {
        var record = Self.record(
            lines: [Line(sku: "", name: "", category: .unknown, quantity: 1, amount: 100)],
            withholding: Withholding(vat: 5, pit: 2))
        record.seller.taxCode = nil
        record.occurredAt = Self.received.adding(seconds: 301)
        record.source.receivedAt = try #require(Timestamp.parseISO8601("2026-03-21T00:00:00+07:00"))
        record.occurredAt = record.source.receivedAt.adding(seconds: 301)
        record.amounts.buyerPaid += 1
        let flags = RecordAssessment(record: record, sourceDifference: nil).flags
        #expect(flags == [.amountInconsistent, .categoryUnknown, .futureDated, .taxIDMissing])
        record.occurredAt = try #require(Timestamp.parseISO8601("2026-02-15T00:00:00Z"))
        #expect(RecordAssessment(record: record, sourceDifference: nil).flags.contains(.lateReport))
    }
}
