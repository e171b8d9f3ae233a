import Foundation
import Testing
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

@Suite("Revisions, duplicates, pending state")
struct RevisionTests {
    static func shopee(_ id: String, status: String = "COMPLETED", total: Int = 100000, updated: Int = 1768000000) -> String {
        #"{"order": {"order_sn": "\#(id)", "order_status": "\#(status)", "update_time": \#(updated), "total_amount": \#(total), "item_list": [{"item_id": 7, "item_name": "Áo", "model_sku": "S", "model_quantity_purchased": 1, "model_original_price": 100000}]}, "escrow": {"order_income": {"withholding_vat_tax": 1000, "withholding_pit_tax": 500}}, "seller": {"platform_seller_id": "9", "tax_id": "0100233488", "type": "household", "category": "goods"}}"#
    }

    static func envelope(_ items: String...) -> String { #"{"orders": [\#(items.joined(separator: ","))]}"# }

    @Test func nonCompletedGivesNoRecordUntilACompletedPush() async throws {
        try await withTemporaryStore { store, _ async throws in
            let ingestor = Ingestor(storage: store)
            let first = try await ingestor.ingest("shopee/orders", Self.envelope(Self.shopee("P1", status: "SHIPPED")))
            #expect(first.accepted == 1)
            #expect(try await store.allRecords().isEmpty)
            #expect(try await store.statistics().pendingOrders == 1)
            _ = try await ingestor.ingest("shopee/orders", Self.envelope(Self.shopee("P1")))
            #expect(try await store.allRecords().map(\.recordID) == ["shopee:sale:P1"])
        }
    }

    @Test func identicalIsDuplicateAndChangedIsRevisionTwo() async throws {
        try await withTemporaryStore { store, _ async throws in
            let ingestor = Ingestor(storage: store)
            _ = try await ingestor.ingest("shopee/orders", Self.envelope(Self.shopee("R1")))
            let again = try await ingestor.ingest(
                "shopee/orders", Self.envelope(Self.shopee("R1")), receivedAt: sampleReceivedAt.adding(seconds: 60))
            #expect(again.duplicates == 1 && again.accepted == 0)
            let changed = try await ingestor.ingest(
                "shopee/orders", Self.envelope(Self.shopee("R1", total: 90000)), receivedAt: sampleReceivedAt.adding(seconds: 120))
            #expect(changed.revised == 1)
            let latest = try await store.allRecords()
            #expect(latest.map(\.revision) == [2])
            #expect(latest[0].amounts.buyerPaid == 90000)
            #expect(latest[0].source.receivedAt == sampleReceivedAt.adding(seconds: 120))
            #expect(try await store.allRecords(RecordQuery(allRevisions: true)).map(\.revision) == [1, 2])
        }
    }

    @Test func aReturnBeforeItsSaleWaitsForIt() async throws {
        try await withTemporaryStore { store, _ async throws in
            let ingestor = Ingestor(storage: store)
            let returns = #"{"returns": [{"return": {"return_sn": "RT1", "order_sn": "S1", "status": "COMPLETED", "update_time": 1768449180, "item": [{"item_id": 7, "item_sku": "S", "amount": 1, "refund_amount": 40000}]}, "withholding_reversal": {"vat": 400, "pit": 200}}]}"#
            let pending = try await ingestor.ingest("shopee/returns", returns)
            #expect(pending.accepted == 1)
            #expect(try await store.allRecords().isEmpty)
            _ = try await ingestor.ingest("shopee/orders", Self.envelope(Self.shopee("S1")))
            let records = try await store.allRecords()
            #expect(records.map(\.recordID) == ["shopee:refund:RT1", "shopee:sale:S1"])
            #expect(records[0].lines[0].name == "Áo")
            #expect(records[0].seller == records[1].seller)
            let again = try await ingestor.ingest("shopee/returns", returns)
            #expect(again.duplicates == 1)
        }
    }

    @Test func taxPeriodFollowsVietnamTime() async throws {
        try await withTemporaryStore { store, _ async throws in
            // 2026-01-31T18:00:00Z is 2026-02-01 01:00 in Vietnam.
            _ = try await Ingestor(storage: store).ingest(
                "shopee/orders", Self.envelope(Self.shopee("T1", updated: 1769882400)),
                receivedAt: Timestamp(unixSeconds: 1769882400 + 60))
            #expect(try await store.allRecords()[0].taxPeriod.description == "2026-02")
        }
    }

    @Test func quarantinedRecordsAreStoredWithTheirFlags() async throws {
        try await withTemporaryStore { store, _ async throws in
            let text = Self.envelope(Self.shopee("Q1").replacingOccurrences(of: "0100233488", with: "0100233489"))
            _ = try await Ingestor(storage: store).ingest("shopee/orders", text)
            var stored: [StoredRecord] = []
            try await store.forEachRecord(RecordQuery()) { stored.append($0) }
            #expect(stored.count == 1 && stored[0].quarantined)
            #expect(try stored[0].decode().flags == [.taxIDInvalid])
            #expect(try await store.unsealedRecords(limit: 10).isEmpty)
        }
    }

    @Test func ndjsonIsStreamedWithLineNumbers() async throws {
        try await withTemporaryStore { store, _ async throws in
            let lines = (0..<5_000).map { Self.shopee("N\($0)") } + ["{broken"]
            let body = Array(lines.joined(separator: "\n").utf8)
            // Feed the body in small uneven chunks, as a network would.
            let chunks = stride(from: 0, to: body.count, by: 997).map { Array(body[$0..<min($0 + 997, body.count)]) }
            let summary = try await Ingestor(storage: store).ingestStream(
                source: FeedSource(path: "shopee/orders", format: .ndjson), chunks: AsyncStream { continuation in
                    for chunk in chunks { continuation.yield(chunk) }
                    continuation.finish()
                }, receivedAt: sampleReceivedAt)
            #expect(summary.accepted == 5_000)
            #expect(summary.rejected.map(\.line) == [5_001])
            #expect(try await store.statistics().records == 5_000)
        }
    }

    @Test func amendedDeclarationReplacesTheFirst() async throws {
        try await withTemporaryStore { store, _ async throws in
            let ingestor = Ingestor(storage: store)
            let first = #"{"tax_period": "2026-01", "rows": [{"platform_seller_id": "1", "tax_id": "0100233488", "category": "goods", "revenue": 100, "vat": 1, "pit": 0}]}"#
            let amended = first.replacingOccurrences(of: "\"revenue\": 100", with: "\"revenue\": 200")
            #expect(try await ingestor.ingest("tiki/declarations", first).accepted == 1)
            #expect(try await ingestor.ingest("tiki/declarations", first).duplicates == 1)
            #expect(try await ingestor.ingest("tiki/declarations", amended).revised == 1)
        }
    }

    @Test func settlementsResentAreDuplicates() async throws {
        try await withTemporaryStore { store, _ async throws in
            let body = """
                vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_PayDate,vnp_BankCode,vnp_TransactionStatus,vnp_OrderInfo
                SH1,14000001,17600000,20260106094628,NCB,00,shopee:A
                """
            let ingestor = Ingestor(storage: store)
            #expect(try await ingestor.ingest("vnpay/settlements", body, format: .csv).accepted == 1)
            #expect(try await ingestor.ingest("vnpay/settlements", body, format: .csv).duplicates == 1)
            #expect(try await store.statistics().settlements == 1)
        }
    }

    @Test(arguments: ["", "   ", "{\"orders\": 1}", "[]", "{\"orders\": [1,"])
    func unreadableBodiesStoreNothing(body: String) async throws {
        try await withTemporaryStore { store, _ async throws in
            await #expect(throws: FeedError.self) { try await Ingestor(storage: store).ingest("shopee/orders", body) }
            #expect(try await store.statistics().records == 0)
        }
    }

    @Test func unknownSourcesAreRefused() {
        #expect(throws: FeedError.self) { try FeedSource(path: "amazon/orders", format: .json) }
        #expect(throws: FeedError.self) { try FeedSource(path: "shopee/payouts", format: .json) }
        #expect(throws: FeedError.self) { try FeedSource(path: "momo/settlements", format: .csv) }
    }
}
