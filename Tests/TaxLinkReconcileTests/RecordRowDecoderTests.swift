import Foundation
import TaxLinkCore
import TaxLinkStore
import Testing

@testable import TaxLinkReconcile

@Suite("Record row decoder")
struct RecordRowDecoderTests {
    /// The fast decoder must give RecordAssessment exactly what a full decode gives, for every sample record.
    @Test func fastDecodingAssessesLikeAFullDecode() async throws {
        try await withTemporaryStore { store in
            let full = try await Self.storeSamples(in: store)
            let compared = try await store.withReconciliationSnapshot { snapshot in
                var count = 0
                try snapshot.forEachLatestRecord(platform: nil, period: nil) { row, body in
                    let fast = try RecordRowDecoder.decode(row, body: body, names: true)
                    guard let reference = full[fast.recordID] else {
                        Issue.record("unknown record \(fast.recordID)")
                        return
                    }
                    #expect(fast.seller == reference.seller)
                    #expect(fast.amounts == reference.amounts)
                    #expect(fast.withholding == reference.withholding)
                    #expect(fast.flags == reference.flags)
                    #expect(fast.taxPeriod == reference.taxPeriod)
                    #expect(fast.lines.map(\.amount) == reference.lines.map(\.amount))
                    #expect(fast.lines.map(\.category) == reference.lines.map(\.category))
                    let fastAssessment = RecordAssessment(record: fast, sourceDifference: row.sourceDifference)
                    let referenceAssessment = RecordAssessment(
                        record: reference,
                        sourceDifference: row.sourceDifference
                    )
                    #expect(fastAssessment == referenceAssessment)
                    #expect(fastAssessment.flags == reference.flags)
                    count += 1
                }
                return count
            }
            #expect(compared == full.count)
            #expect(compared > 100)
        }
    }
}

extension RecordRowDecoderTests {
    /// What reconciliation reads, the narrow columns, gives the record a full decode of the body gives
    /// (but names), and so the same assessment, for every sample record and two awkward ones.
    @Test func narrowColumnsGiveTheRecordAFullDecodeGives() async throws {
        try await withTemporaryStore { store in
            let reference = try await Self.storeSamples(in: store)
            let compared = try await store.withReconciliationSnapshot { snapshot in
                var count = 0
                try snapshot.forEachLatestFacts { row, facts in
                    let narrow = try RecordRowDecoder.computable(row, facts: facts)
                    guard var expected = reference[narrow.recordID] else {
                        Issue.record("unknown record \(narrow.recordID)")
                        return
                    }
                    expected.seller.name = ""
                    expected.lines = expected.lines.map { Line(sku: "", name: "", category: $0.category, quantity: $0.quantity, amount: $0.amount) }
                    expected.source.feedID = ""
                    #expect(narrow == expected)
                    #expect(
                        RecordAssessment(record: narrow, sourceDifference: row.sourceDifference).flags == expected.flags
                    )
                    count += 1
                }
                return count
            }
            #expect(compared == reference.count)
            #expect(compared > 100)
        }
    }

    /// Stores every sample record and two awkward ones (a quoted tax id with a backslash, a
    /// non-resident enterprise), and gives each latest record as a full decode of its body, by id.
    static func storeSamples(in store: SQLiteStore) async throws -> [String: TransactionRecord] {
        try await SampleFeedsTests.ingestSamples(into: store)
        try await store.push([
            Order("1") {
                $0.taxID = "\"quoted\" \\ id"; $0.lines = [("goods", 300_000), ("", 200_000)]; $0.sellerDiscount = 7
            },
            Order("2") {
                $0.nonResident = true; $0.type = "enterprise"; $0.buyerPaid = 5
            },
        ])
        var full: [String: TransactionRecord] = [:]
        try await store.forEachRecord(RecordQuery()) { full[$0.recordID] = try $0.decode() }
        return full
    }
}

@Suite("Ledger shares")
struct LedgerShareTests {
    /// The single-group fast path must give exactly what ExpectedWithholding gives.
    @Test func theFastPathMatchesExpectedWithholding() {
        var state: UInt64 = 0x1234_5678
        func next(_ bound: UInt64) -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((state >> 33) % bound)
        }
        let groups = BusinessGroup.allCases
        for index in 0..<5_000 {
            let group = groups[Int(next(UInt64(groups.count)))]
            let mixed = index % 4 == 0
            let lines = (0..<(1 + next(4))).map { _ in
                Line(
                    sku: "",
                    name: "",
                    category: mixed ? groups[Int(next(UInt64(groups.count)))] : group,
                    quantity: 1,
                    amount: next(3) == 0 ? 0 : next(5_000_000)
                )
            }
            let gross = lines.reduce(0) { $0 + $1.amount }
            let record = TransactionRecord(
                platform: "p",
                kind: .sale,
                externalID: "\(index)",
                occurredAt: Timestamp(unixSeconds: 1_767_225_600 + next(10_000_000)),
                seller: Seller(
                    platformSellerID: "s",
                    taxCode: nil,
                    nationalID: nil,
                    name: "",
                    type: SellerType.allCases[Int(next(3))],
                    resident: next(2) == 0
                ),
                lines: lines,
                amounts: Amounts(
                    gross: gross,
                    sellerDiscount: gross == 0 ? 0 : next(UInt64(gross) + 1),
                    platformDiscount: 0,
                    shippingFee: 0,
                    buyerPaid: 0,
                    platformFees: 0
                ),
                withholding: Withholding(vat: next(100_000), pit: next(50_000)),
                source: RecordSource(feedID: "", receivedAt: .now)
            )
            let fast = SellerLedger.shares(of: record, rates: .standard)
            let reference = SellerLedger.shares(of: record, expected: ExpectedWithholding(record: record))
            #expect(fast == reference, "record \(index)")
        }
    }
}
