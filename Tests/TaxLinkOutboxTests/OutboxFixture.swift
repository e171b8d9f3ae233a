import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Metrics
import MinistryMock
import NIOCore
import NIOHTTP1
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import Testing
import X509

/// A connector database with records, a development PKI, and the mock ministry on a loopback port.
struct OutboxFixture {
    let folder: URL
    let store: SQLiteStore
    let pki: DevelopmentPKI
    /// The outbox's time: waits return at once and move it forward.
    let clock = VirtualClock()
    static let logger: Logger = {
        var logger = Logger(label: "outbox-test")
        logger.logLevel = .critical
        return logger
    }()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("taxlink.sqlite").path)
        pki = try DevelopmentPKI.generate(taxCode: "0100233488")
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Ingests `count` completed Shopee orders (ready records), into this fixture's store unless given another.
    func ingest(_ count: Int, prefix: String = "O", into storage: (any Storage)? = nil) async throws {
        let orders = (0..<count).map { index in
            #"{"order": {"order_sn": "\#(prefix)\#(index)", "order_status": "COMPLETED", "update_time": 1768000000, "total_amount": 100000, "item_list": [{"item_id": 1, "item_name": "Áo", "model_sku": "S", "model_quantity_purchased": 1, "model_original_price": 100000}]}, "escrow": {"order_income": {"withholding_vat_tax": 1000, "withholding_pit_tax": 500}}, "seller": {"platform_seller_id": "9", "tax_id": "0100233488", "type": "household", "category": "goods"}}"#
        }
        let body = Array(#"{"orders": [\#(orders.joined(separator: ","))]}"#.utf8)
        _ = try await Ingestor(storage: storage ?? store).ingest(
            source: FeedSource(path: "shopee/orders", format: .json),
            format: .json,
            body: body,
            receivedAt: Timestamp(unixSeconds: 1768000100)
        )
    }

    /// Runs the mock ministry (state in this fixture's folder) while `body` runs; passes its port.
    func withMinistry<T: Sendable>(
        _ configure: (inout MinistryConfiguration) throws -> Void = { _ in },
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var configuration = MinistryConfiguration(
            databasePath: folder.appendingPathComponent("ministry.sqlite").path,
            trustAnchors: [pki.caCertificate],
            identity: pki.ministryIdentity
        )
        configuration.port = 0
        configuration.onServerRunning = { continuation.yield($0) }
        try configure(&configuration)
        let app = try await buildMinistryApplication(configuration: configuration, logger: Self.logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result = try await body(port)
            group.cancelAll()
            return result
        }
    }

    /// Runs an uploader against the ministry at `port`, on the fixture's virtual clock.
    func withUploader<T: Sendable>(
        port: Int,
        storage: (any OutboxStorage)? = nil,
        ministryTrust: [Certificate]? = nil,
        identity: SigningIdentity? = nil,
        metrics: (any MetricsFactory)? = nil,
        logger: Logger? = nil,
        _ configure: (inout OutboxConfiguration) -> Void = { _ in },
        _ body: (OutboxRuntime) async throws -> T
    ) async throws -> T {
        var configuration = OutboxConfiguration(ministryURL: "http://127.0.0.1:\(port)")
        configuration.batchSize = 5
        configuration.backoff = .init(base: 0.05, cap: 0.5)
        configuration.idleInterval = 0.05
        configuration.pollInterval = 0.2
        configuration.requestTimeout = 10
        configuration.clock = clock.outboxClock
        configure(&configuration)
        return try await OutboxRuntime.withRuntime(
            storage: storage ?? store,
            configuration: configuration,
            identity: identity ?? pki.senderIdentity,
            ministryTrust: ministryTrust ?? [pki.caCertificate],
            logger: logger ?? Self.logger,
            metricsFactory: metrics ?? MetricsSystem.factory,
            body
        )
    }

    /// The mock ministry's counters.
    static func stats(port: Int) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/_stats"),
            timeout: .seconds(10)
        )
        return try JSONParser.parse(Array(try await response.body.collect(upTo: 1 << 20).readableBytesView))
    }

    /// Batches in `state`.
    func count(_ state: BatchState) async throws -> Int {
        try await store.outboxStatus(now: .now).states[state]?.count ?? 0
    }
}

extension JSONValue {
    /// The integer at `key`, or 0.
    func integer(_ key: String) -> Int {
        if case .number(let text) = self[key] { return Int(text) ?? 0 }
        return 0
    }
}

extension OutboxFixture {
    /// Uploads until the outbox is empty (within 30 virtual seconds), to a well-behaved ministry or,
    /// given `faults` (a ``FaultPlan`` spec such as `503=1`), a failing one; `maxAttempts` per batch
    /// when given.
    func uploadUntilEmpty(faults: String? = nil, maxAttempts: Int? = nil) async throws {
        try await withMinistry({ configuration in
            if let faults { configuration.faults = try FaultPlan(spec: faults) }
        }) { port in
            try await withUploader(port: port, { configuration in
                if let maxAttempts { configuration.maxAttempts = maxAttempts }
            }) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: clock.deadline(30)))
            }
        }
    }
}
