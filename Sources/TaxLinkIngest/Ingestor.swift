import Crypto
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkStore

/// The one ingest path behind both the HTTP API and `taxlink ingest`: adapter, then store.
///
/// Whole bodies (JSON envelopes, CSV, declarations) are adapted at once; NDJSON is read as a
/// stream of chunks and stored in chunks, so its size is not bounded by memory. The summary is
/// returned only after the feed is committed.
public struct Ingestor: Sendable {
    /// How ingest behaves.
    public struct Configuration: Sendable {
        /// Items stored per write transaction.
        public var chunkSize = 2_000
        /// The withholding rates the ingest flags are measured against.
        public var rates: RateSchedule = .standard

        public init() {}
    }

    private let storage: any Storage
    private let configuration: Configuration

    public init(storage: any Storage, configuration: Configuration = Configuration()) {
        self.storage = storage
        self.configuration = configuration
    }

    /// Ingests a whole body.
    public func ingest(
        source: FeedSource, format: FeedSource.BodyFormat, body: [UInt8], receivedAt: Timestamp,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> FeedSummary {
        if format == .ndjson {
            return try await ingestStream(source: source, chunks: [body].async, receivedAt: receivedAt, progress: progress)
        }
        guard !body.isEmpty else { throw FeedError.empty }
        let digest = Self.hex(SHA256.hash(data: body))
        switch source {
        case .platformJSON:
            let adapter = source.jsonAdapter!
            let items = try JSONEnvelope.items(of: body, key: adapter.envelopeKey)
            return try await store(source: source, receivedAt: receivedAt, digest: digest, progress: progress) { context in
                items.enumerated().map { adapter.adapt($1, at: .index($0), context: context) }
            }
        case .genericCSV:
            let parsed = try GenericCSVAdapter().parse(body)
            return try await store(source: source, receivedAt: receivedAt, digest: digest, progress: progress) { context in
                GenericCSVAdapter().adapt(parsed, context: context)
            }
        case .declarations:
            let probe = FeedContext(feedID: "", receivedAt: receivedAt, platform: source.name)
            let (declaration, received, rejections) = try DeclarationsAdapter().adapt(body, context: probe)
            let feedID = try await storage.beginFeed(NewFeed(source: source.description, receivedAt: receivedAt))
            let counts = try await storage.storeDeclaration(declaration, feedID: feedID, receivedAt: receivedAt)
            return try await finish(feedID, received: received, counts: counts, rejections: rejections, digest: digest)
        case .settlements:
            let probe = FeedContext(feedID: "", receivedAt: receivedAt, platform: source.name)
            let (settlements, ignored, rejections) = try VNPaySettlementsAdapter().adapt(body, context: probe)
            let feedID = try await storage.beginFeed(NewFeed(source: source.description, receivedAt: receivedAt))
            let counts = try await storage.storeSettlements(settlements, feedID: feedID)
            return try await finish(
                feedID, received: settlements.count + ignored + rejections.count, counts: counts,
                rejections: rejections, digest: digest, ignored: ignored)
        }
    }

    /// Ingests an NDJSON body arriving in chunks, one item a line.
    public func ingestStream<Chunks: AsyncSequence>(
        source: FeedSource, chunks: Chunks, receivedAt: Timestamp, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> FeedSummary where Chunks.Element: Collection<UInt8> & Sendable {
        guard let adapter = source.jsonAdapter else {
            throw FeedError.unsupportedFormat("\(source) does not take NDJSON")
        }
        let feedID = try await storage.beginFeed(NewFeed(source: source.description, receivedAt: receivedAt))
        let context = FeedContext(feedID: feedID, receivedAt: receivedAt, platform: source.name)
        var hasher = SHA256()
        var sawBytes = false
        let batch = try await pipelined(feedID: feedID, progress: progress) { emit in
            var splitter = LineSplitter()
            for try await chunk in chunks {
                let bytes = Array(chunk)
                sawBytes = sawBytes || !bytes.isEmpty
                hasher.update(data: bytes)
                for line in splitter.append(bytes) {
                    try await emit(adapter.adaptLine(line.bytes, number: line.number, context: context))
                }
            }
            for line in splitter.finish() {
                try await emit(adapter.adaptLine(line.bytes, number: line.number, context: context))
            }
        }
        guard sawBytes else { throw FeedError.empty }
        return try await finish(
            feedID, received: batch.received, counts: batch.counts, rejections: batch.rejections,
            digest: Self.hex(hasher.finalize()))
    }

    private func store(
        source: FeedSource, receivedAt: Timestamp, digest: String, progress: (@Sendable (Int) -> Void)?,
        adapt: @escaping (FeedContext) -> [OrderFeedItem]
    ) async throws -> FeedSummary {
        let feedID = try await storage.beginFeed(NewFeed(source: source.description, receivedAt: receivedAt))
        let context = FeedContext(feedID: feedID, receivedAt: receivedAt, platform: source.name)
        let batch = try await pipelined(feedID: feedID, progress: progress) { emit in
            for item in adapt(context) { try await emit(item) }
        }
        return try await finish(
            feedID, received: batch.received, counts: batch.counts, rejections: batch.rejections, digest: digest)
    }

    /// Runs `produce`, which emits adapted items, and stores them in chunks while it goes on: one
    /// chunk is written while the next is adapted, so parsing and SQLite work on both cores. Chunks
    /// are written one after another, in order.
    private func pipelined(
        feedID: String, progress: (@Sendable (Int) -> Void)?,
        _ produce: (_ emit: (OrderFeedItem) async throws -> Void) async throws -> Void
    ) async throws -> Batch {
        try await withThrowingTaskGroup(of: IngestCounts.self) { group in
            var batch = Batch(rates: configuration.rates)
            var writing = false
            func submit() async throws {
                if writing, let counts = try await group.next() { batch.counts = batch.counts + counts }
                guard !batch.items.isEmpty else { return }
                let items = batch.items
                batch.items.removeAll(keepingCapacity: true)
                group.addTask { try await storage.storeItems(items, feedID: feedID) }
                writing = true
                progress?(batch.received)
            }
            try await produce { item in
                batch.add(item)
                if batch.items.count >= configuration.chunkSize { try await submit() }
            }
            try await submit()
            while let counts = try await group.next() { batch.counts = batch.counts + counts }
            return batch
        }
    }

    private func finish(
        _ feedID: String, received: Int, counts: IngestCounts, rejections: [Rejection], digest: String, ignored: Int = 0
    ) async throws -> FeedSummary {
        let summary = FeedSummary(
            feedID: feedID, received: received, accepted: counts.accepted, duplicates: counts.duplicates,
            revised: counts.revised, ignored: ignored, rejected: rejections.map(\.summaryEntry))
        try await storage.finishFeed(feedID, summary: summary, bodySHA256: digest)
        return summary
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

/// Items of a feed waiting to be stored, and what the feed has done so far.
private struct Batch {
    let rates: RateSchedule
    var items: [IngestItem] = []
    var rejections: [Rejection] = []
    var counts = IngestCounts()
    var received = 0

    mutating func add(_ item: OrderFeedItem) {
        received += 1
        switch item {
        case .record(let record): items.append(.record(PreparedRecord(record, rates: rates)))
        case .pending(let order): items.append(.pending(order))
        case .returnClaim(let claim): items.append(.returnClaim(claim))
        case .rejected(let rejection): rejections.append(rejection)
        }
    }
}

extension Rejection {
    var summaryEntry: FeedSummary.Rejected {
        let index: Int?
        let line: Int?
        switch position {
        case .index(let value): (index, line) = (value, nil)
        case .line(let value): (index, line) = (nil, value)
        }
        let prefix = code.map { "\($0.rawValue): " } ?? ""
        return FeedSummary.Rejected(index: index, line: line, externalID: externalID, reason: prefix + reason)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
