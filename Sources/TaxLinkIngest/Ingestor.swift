import Crypto
import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkStore

/// The one ingest path behind both the HTTP API and `taxlink ingest`: adapter, then store.
///
/// A feed is written in one store transaction (``Storage/storeFeed(_:resolving:_:)``): nothing of it is
/// visible until its summary is committed, and a feed that fails part-way leaves nothing but its
/// `failed` mark. Items are adapted (JSON items on every core) and handed to the store in chunks
/// while the store writes the chunk before, so memory stays proportional to a chunk: JSON
/// envelopes are read item by item as their bytes arrive, NDJSON line by line, CSV row by row,
/// declaration rows one at a time. The summary is returned only
/// after the feed is committed.
public struct Ingestor: Sendable {
    /// How ingest behaves.
    public struct Configuration: Sendable {
        /// Items (and rejections) handed to the store at a time.
        public var chunkSize = 2_000
        /// The withholding rates the ingest flags are measured against: those of every record, and
        /// of the refund records made when a return meets its sale (``RefundResolution``).
        public var rates: RateSchedule = .standard
        /// The largest item of a JSON envelope, or NDJSON line, in bytes: a larger one is rejected
        /// without being read. A real order with its items is a few kilobytes.
        public var maximumItemBytes = 1 << 20
        /// The most items (rejected ones included) one feed may hold: a larger feed is refused whole
        /// with ``FeedError/tooManyItems(limit:)``, so a body of millions of tiny bad items cannot
        /// hold the store's single writer for minutes. A real 64 MiB feed holds ~85,000 orders.
        public var maximumItems = 1_000_000
        /// Groups of JSON items parsed, adapted and prepared at once, beside the store's single
        /// writer (see ``ParallelAdapting``): one a core.
        public var adaptingTasks = ProcessInfo.processInfo.activeProcessorCount

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
        source: FeedSource,
        format: FeedSource.BodyFormat,
        body: [UInt8],
        receivedAt: Timestamp,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> FeedSummary {
        guard let first = body.firstIndex(where: { !JSONEnvelope.isWhitespace($0) }) else { throw FeedError.empty }
        if case .platformJSON = source, format == .json, let adapter = source.jsonAdapter {
            // Not an envelope at all: refused before any feed is begun.
            var probe = JSONEnvelopeScanner(key: adapter.envelopeKey)
            _ = try probe.append(body[first...first])
        }
        if format == .ndjson || format == .json, case .platformJSON = source {
            return try await ingestStream(
                source: source,
                format: format,
                chunks: BodyChunks(body: body),
                receivedAt: receivedAt,
                progress: progress
            )
        }
        let digest = Self.hex(SHA256.hash(data: body))
        switch source {
        case .platformJSON:
            throw FeedError.unsupportedFormat("\(source) takes JSON or NDJSON")
        case .genericCSV:
            let probe = FeedContext(feedID: "", receivedAt: receivedAt, platform: source.name)
            _ = try GenericCSVAdapter().orders(body, context: probe)  // a bad header refuses the push before any feed
            return try await store(source, receivedAt: receivedAt, progress: progress) { context, batcher in
                var orders = try GenericCSVAdapter().orders(body, context: context)
                while let item = try orders.next() { try await batcher.add(item) }
                return FeedEnd(received: batcher.received, bodySHA256: digest)
            }
        case .declarations:
            let probe = FeedContext(feedID: "", receivedAt: receivedAt, platform: source.name)
            var reading = try DeclarationsAdapter().reading(body, context: probe)
            return try await store(source, receivedAt: receivedAt, progress: progress) { _, batcher in
                try batcher.count(reading.received)
                while let rejection = reading.nextRejection() { try await batcher.reject(rejection) }
                try await batcher.sink.send(.declaration(reading.declaration))
                return FeedEnd(received: batcher.received, bodySHA256: digest)
            }
        case .settlements:
            let probe = FeedContext(feedID: "", receivedAt: receivedAt, platform: source.name)
            var rows = try VNPaySettlementsAdapter().rows(body, context: probe)
            return try await store(source, receivedAt: receivedAt, progress: progress) { _, batcher in
                while let row = try rows.next() { try await batcher.add(row) }
                return FeedEnd(received: batcher.received, ignored: batcher.ignored, bodySHA256: digest)
            }
        }
    }

    /// Ingests a JSON body arriving in chunks: an NDJSON body (one item a line) or a JSON envelope
    /// (`{"orders": [...]}`, read item by item as its bytes arrive). Either way memory stays
    /// proportional to a chunk, whatever the body's size, and items are adapted on every core.
    public func ingestStream<Chunks: AsyncSequence>(
        source: FeedSource,
        format: FeedSource.BodyFormat = .ndjson,
        chunks: Chunks,
        receivedAt: Timestamp,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> FeedSummary where Chunks.Element: Collection<UInt8> & Sendable {
        guard let adapter = source.jsonAdapter, format != .csv else {
            throw FeedError.unsupportedFormat("\(source) does not take a streamed \(format == .json ? "JSON" : "NDJSON") body")
        }
        let rates = configuration.rates
        let width = configuration.adaptingTasks
        let limit = configuration.maximumItemBytes
        return try await store(source, receivedAt: receivedAt, progress: progress) { context, batcher in
            var hasher = SHA256()
            var sawBytes = false
            if format == .json {
                var scanner = JSONEnvelopeScanner(key: adapter.envelopeKey, maximumItemBytes: limit)
                let adapting = ParallelAdapting<JSONEnvelopeScanner.Item>(width: width) { item throws(FeedError) in
                    PreparedItem(try adapter.adapt(item, context: context), rates: rates)
                }
                try await adapting.run(into: &batcher) { emit in
                    for try await chunk in chunks {
                        let bytes = Array(chunk)
                        hasher.update(data: bytes)
                        for item in try scanner.append(bytes) { try await emit(item) }
                    }
                    try scanner.finish()
                }
            } else {
                var splitter = LineSplitter(maximumLineLength: limit)
                let adapting = ParallelAdapting<LineSplitter.Line>(width: width) { line in
                    PreparedItem(adapter.adapt(line, context: context), rates: rates)
                }
                try await adapting.run(into: &batcher) { emit in
                    for try await chunk in chunks {
                        let bytes = Array(chunk)
                        sawBytes = sawBytes || !bytes.isEmpty
                        hasher.update(data: bytes)
                        for line in splitter.append(bytes) { try await emit(line) }
                    }
                    for line in splitter.finish() { try await emit(line) }
                }
                guard sawBytes else { throw FeedError.empty }
            }
            return FeedEnd(received: batcher.received, bodySHA256: Self.hex(hasher.finalize()))
        }
    }

    /// Stores one feed: `produce` adapts it into the batcher, which hands chunks to the store.
    private func store(
        _ source: FeedSource,
        receivedAt: Timestamp,
        progress: (@Sendable (Int) -> Void)?,
        _ produce: (FeedContext, inout FeedBatcher) async throws -> FeedEnd
    ) async throws -> FeedSummary {
        let feed = NewFeed(source: source.description, receivedAt: receivedAt)
        return try await storage.storeFeed(feed, resolving: RefundResolution(rates: configuration.rates)) { sink in
            let context = FeedContext(feedID: sink.feedID, receivedAt: receivedAt, platform: source.name)
            var batcher = FeedBatcher(sink: sink, configuration: configuration, progress: progress)
            let end = try await produce(context, &batcher)
            try await batcher.flush()
            return end
        }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

/// A body already in memory, as chunks of 64 KiB: a split line never copies more than a chunk.
private struct BodyChunks: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>
    let body: [UInt8]

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: [UInt8]
        var offset = 0

        mutating func next() async -> ArraySlice<UInt8>? {
            guard offset < body.count else { return nil }
            let end = body.count - offset > 1 << 16 ? offset + 1 << 16 : body.count
            defer { offset = end }
            return body[offset..<end]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: body) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
