import TaxLinkCore
import TaxLinkStore
import Testing

/// Receipts are kept exactly as received, verified or not, on both stores.
@Suite struct OutboxReceiptTests {
    static func receipt(_ batchID: String, at seconds: Int64, body: [UInt8], jws: String?) -> ReceivedReceipt {
        ReceivedReceipt(
            batchID: batchID,
            receivedAt: Timestamp(unixSeconds: seconds),
            status: 201,
            body: body,
            jws: jws,
            ministryTrust: jws == nil ? nil : "-----BEGIN CERTIFICATE-----\nministry\n-----END CERTIFICATE-----\n"
        )
    }

    @Test(arguments: StoreKind.allCases)
    func receiptsAreKeptAsReceivedWithTheirVerdicts(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            let forged = Self.receipt("b1", at: 1_000, body: [0x7B, 0x00, 0xFF, 0x7D], jws: "forged")
            let genuine = Self.receipt("b1", at: 1_001, body: Array(#"{"batch_id":"b1"}"#.utf8), jws: "sig")
            let unsigned = Self.receipt("b1", at: 1_002, body: [], jws: nil)
            let other = Self.receipt("b2", at: 1_003, body: [1], jws: "x")
            let forgedID = try await store.storeReceipt(forged)
            let genuineID = try await store.storeReceipt(genuine)
            let unsignedID = try await store.storeReceipt(unsigned)
            _ = try await store.storeReceipt(other)
            #expect(forgedID < genuineID && genuineID < unsignedID)
            try await store.recordReceiptVerdict(id: forgedID, problem: "the signature does not match")
            try await store.recordReceiptVerdict(id: genuineID, problem: nil)
            let stored = try await store.receipts(batchID: "b1")
            #expect(stored.map(\.id) == [forgedID, genuineID, unsignedID])
            #expect(stored.map(\.receipt) == [forged, genuine, unsigned])
            #expect(stored.map(\.verdict) == [.refused("the signature does not match"), .verified, .unchecked])
            #expect(try await store.receipts(batchID: "b2").map(\.receipt) == [other])
            #expect(try await store.receipts(batchID: "none").isEmpty)
        }
    }
}
