import TaxLinkCore

@testable import TaxLinkStore

/// Records and batches for the outbox conformance tests, stored through the protocols only.
enum OutboxSamples {
    /// A refund resolver for feeds without return claims: the store never calls it.
    struct NoReturns: ReturnResolving {
        struct Unexpected: Error {}

        func refund(for claim: ReturnClaim, sale: TransactionRecord, lineItemIDs: [String: Int]) throws
            -> PreparedRecord
        {
            throw Unexpected()
        }
    }

    /// The record id of the sample sale `externalID`.
    static func recordID(_ externalID: String) -> String { "shopee:sale:\(externalID)" }

    /// A completed Shopee sale of `amount` đồng; `quarantined` gives it a flag that holds it back.
    static func sale(_ externalID: String, amount: Int64 = 100_000, quarantined: Bool = false) -> PreparedRecord {
        let record = TransactionRecord(
            platform: "shopee",
            kind: .sale,
            externalID: externalID,
            occurredAt: Timestamp(unixSeconds: 1_768_000_000),
            seller: Seller(
                platformSellerID: "9",
                taxCode: quarantined ? nil : "0100233488",
                nationalID: nil,
                name: "Cửa hàng A",
                type: .household,
                resident: true
            ),
            lines: [Line(sku: "S", name: "Áo", category: .goods, quantity: 1, amount: amount)],
            amounts: Amounts(
                gross: amount,
                sellerDiscount: 0,
                platformDiscount: 0,
                shippingFee: 0,
                buyerPaid: amount,
                platformFees: 0
            ),
            withholding: Withholding(vat: amount / 100, pit: amount / 200),
            source: RecordSource(feedID: "", receivedAt: Timestamp(unixSeconds: 0))
        )
        return PreparedRecord(
            AdaptedRecord(record: record, cashOnDelivery: false),
            flags: quarantined ? [.taxIDMissing] : []
        )
    }

    /// Stores `records` as one feed received at `receivedAt` (each record's source names the feed, as ingest makes it).
    static func store(_ records: [PreparedRecord], at receivedAt: Int64, in storage: any Storage) async throws {
        let feed = NewFeed(source: "shopee/orders", receivedAt: Timestamp(unixSeconds: receivedAt))
        _ = try await storage.storeFeed(feed, resolving: NoReturns()) { sink in
            let sourced = records.map { prepared in
                var adapted = prepared.adapted
                adapted.record.source = RecordSource(feedID: sink.feedID, receivedAt: feed.receivedAt)
                return PreparedRecord(adapted, flags: prepared.adapted.record.flags)
            }
            try await sink.send(.items(sourced.map { .record($0) }))
            return FeedEnd(received: records.count, bodySHA256: String(repeating: "0", count: 64))
        }
    }

    /// A sealed batch of `members` (revision 1 unless given), with bytes that are not UTF-8.
    static func batch(
        _ id: String,
        _ members: [RecordRevision],
        at createdAt: Int64,
        parentID: String? = nil
    ) -> SealedBatch {
        SealedBatch(
            id: id,
            body: Array("{\"batch_id\":\"\(id)\"}".utf8) + [0x00, 0xFF, 0xFE],
            bodySHA256: String(repeating: "a", count: 64),
            jws: "eyJhbGciOiJFUzI1NiJ9..\(id)",
            createdAt: Timestamp(unixSeconds: createdAt),
            members: members,
            parentID: parentID,
            signingChain: "-----BEGIN CERTIFICATE-----\n\(id)\n-----END CERTIFICATE-----\n"
        )
    }

    /// Revision 1 of each sample sale.
    static func members(_ externalIDs: String...) -> [RecordRevision] {
        externalIDs.map { RecordRevision(recordID: recordID($0), revision: 1) }
    }
}

extension StoreFixture {
    /// Runs `body` with a fresh store of `kind`, as the feed path and the outbox see it.
    static func with(_ kind: StoreKind, _ body: (any Storage & OutboxStorage) async throws -> Void) async throws {
        try await withStore(kind) { store in
            switch store.backing {
            case .sqlite(let sqlite): try await body(sqlite)
            case .postgres(let postgres): try await body(postgres)
            }
        }
    }

    /// Runs `body` with two stores of `kind` on one fresh database (two SQLite stores on one file,
    /// or two PostgreSQL stores with pools of their own), as two processes have.
    static func withTwoStores(
        _ kind: StoreKind,
        _ body: (TwoStoreHandle, TwoStoreHandle) async throws -> Void
    ) async throws {
        switch kind {
        case .sqlite:
            try await withSQLiteURL { _, path in
                try await body(try SQLiteStore(path: path), try SQLiteStore(path: path))
            }
        case .postgres:
            try await withTwoPostgresStores { first, second in try await body(first, second) }
        }
    }

    /// What ``withTwoStores(_:_:)`` lends: every capability the concurrency tests use.
    typealias TwoStoreHandle = any Storage & OutboxStorage & FindingsStorage & SessionStorage

    /// Runs `body` with two stores on one fresh PostgreSQL database, each with its own pool (as two
    /// processes have).
    static func withTwoPostgresStores(_ body: (PostgresStore, PostgresStore) async throws -> Void) async throws {
        try await withPostgresDatabase { endpoint in
            let first = PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: logger)
            let second = PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: logger)
            try await withRunning(first) {
                try await withRunning(second) { try await body(first, second) }
            }
        }
    }
}
