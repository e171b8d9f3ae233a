import Foundation
import Synchronization
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore
import Testing

/// Return claims become refund records through ingest's ``RefundResolution``: the store holds no
/// rates, and it asks the resolver whichever of the claim and its sale arrives first.
@Suite("Refund resolution")
struct RefundResolutionTests {
    /// Which of a return and its sale the store sees first, and whether they come in one feed.
    enum Arrival: String, CaseIterable, CustomTestStringConvertible {
        case claimThenSale, saleThenClaim, claimThenSaleInOneFeed, saleThenClaimInOneFeed

        var testDescription: String { rawValue }

        /// The feeds, each a list of its items in order.
        var feeds: [[Item]] {
            switch self {
            case .claimThenSale: [[.claim], [.sale]]
            case .saleThenClaim: [[.sale], [.claim]]
            case .claimThenSaleInOneFeed: [[.claim, .sale]]
            case .saleThenClaimInOneFeed: [[.sale, .claim]]
            }
        }
    }

    /// A return or its sale, each in a feed of its own kind.
    enum Item {
        case claim, sale

        /// The push path and body of a feed holding just this item.
        var push: (path: String, body: String) {
            switch self {
            case .claim: ("shopee/returns", RefundResolutionTests.returns)
            case .sale: ("shopee/orders", RevisionTests.envelope(RevisionTests.shopee("S1")))
            }
        }
    }

    /// Return RT1 of order S1 (40,000 of its 100,000 of goods), 400 VAT and 200 PIT reversed: what the
    /// decree 117 rates expect. It completes on 2026-01-15, six days after its sale.
    static let returns =
        #"{"returns": [{"return": {"return_sn": "RT1", "order_sn": "S1", "status": "COMPLETED", "update_time": 1768449180, "item": [{"item_id": 7, "item_sku": "S", "amount": 1, "refund_amount": 40000}]}, "withholding_reversal": {"vat": 400, "pit": 200}}]}"#

    /// Decree 117, then goods rates doubled from 2026-01-12: after the sale (2026-01-09), before its
    /// return (2026-01-15).
    static let doubledBeforeTheReturn: RateSchedule = {
        var doubled = RateTable.decree117
        doubled.effectiveFrom = Timestamp.parseISO8601("2026-01-12T00:00:00+07:00")!
        doubled.rates[.goods] = GroupRates(vat: 200, pitResident: 100, pitNonResident: 200)
        return RateSchedule(tables: [.decree117, doubled])
    }()

    /// The refund's flags follow the rates given to ingest, in either order of arrival, with a
    /// store opened without any rates.
    @Test(arguments: [Arrival.claimThenSale, .saleThenClaim])
    func refundIsAssessedUnderIngestRates(arrival: Arrival) async throws {
        let expectations: [(RateSchedule, [DiscrepancyCode])] = [
            (.standard, []), (Self.doubledBeforeTheReturn, [.withholdingMismatch]),
        ]
        for (rates, refundFlags) in expectations {
            try await withTemporaryStore { store, _ async throws in
                var configuration = Ingestor.Configuration()
                configuration.rates = rates
                let ingestor = Ingestor(storage: store, configuration: configuration)
                for item in arrival.feeds.joined() { _ = try await ingestor.ingest(item.push.path, item.push.body) }
                let records = try await store.allRecords()
                #expect(records.map(\.recordID) == ["shopee:refund:RT1", "shopee:sale:S1"])
                #expect(records.map(\.flags) == [refundFlags, []])
            }
        }
    }

    /// The store asks the resolver once, with the claim and the stored sale, whichever arrives first,
    /// and stores what it answers.
    @Test(arguments: Arrival.allCases)
    func storeAsksTheResolverWhenClaimMeetsSale(arrival: Arrival) async throws {
        try await withTemporaryStore { store, _ async throws in
            let resolver = RecordingResolution(RefundResolution(rates: Self.doubledBeforeTheReturn))
            for items in arrival.feeds {
                _ = try await store.storeFeed(
                    NewFeed(source: "shopee/mixed", receivedAt: sampleReceivedAt),
                    resolving: resolver
                ) { sink in
                    try await sink.send(.items(try items.map { try Self.item($0, feedID: sink.feedID) }))
                    return FeedEnd(received: items.count, bodySHA256: "")
                }
            }
            #expect(resolver.calls == [RecordingResolution.Call(claim: "shopee:refund:RT1", sale: "shopee:sale:S1")])
            let records = try await store.allRecords()
            #expect(records.map(\.recordID) == ["shopee:refund:RT1", "shopee:sale:S1"])
            #expect(records.first?.flags == [.withholdingMismatch])
        }
    }

    /// One item as the adapters make it; records prepared under the standard rates.
    static func item(_ item: Item, feedID: String) throws -> IngestItem {
        let context = FeedContext(feedID: feedID, receivedAt: sampleReceivedAt, platform: "shopee")
        let (path, text) = item.push
        let adapter = try #require(try FeedSource(path: path, format: .json).jsonAdapter)
        guard case .object(let envelope) = try JSONParser.parse(Array(text.utf8)),
            case .array(let elements) = envelope[adapter.envelopeKey], let element = elements.first
        else { throw Unexpected(description: "no item in \(path)") }
        switch adapter.adapt(element, at: .index(0), context: context) {
        case .record(let record): return .record(PreparedRecord(assessing: record, rates: .standard))
        case .returnClaim(let claim): return .returnClaim(claim)
        case let other: throw Unexpected(description: "\(path) gave \(other)")
        }
    }

    struct Unexpected: Error, CustomStringConvertible {
        var description: String
    }
}

/// A ``ReturnResolving`` that notes every call and answers what `base` answers.
final class RecordingResolution: ReturnResolving {
    struct Call: Hashable {
        var claim: String
        var sale: String
    }

    private let base: any ReturnResolving
    private let recorded = Mutex<[Call]>([])

    init(_ base: any ReturnResolving) {
        self.base = base
    }

    /// The calls so far, in order.
    var calls: [Call] { recorded.withLock { $0 } }

    func refund(for claim: ReturnClaim, sale: TransactionRecord, lineItemIDs: [String: Int]) throws -> PreparedRecord {
        recorded.withLock { $0.append(Call(claim: claim.recordID, sale: sale.recordID)) }
        return try base.refund(for: claim, sale: sale, lineItemIDs: lineItemIDs)
    }
}
