import TaxLinkAdapters
import TaxLinkCore
import TaxLinkStore

/// Gathers a feed's adapted items into chunks and sends each full chunk to the store.
///
/// Records are prepared (flags, content digest, canonical body) here, on the adapting side, so the
/// store's single writer only looks up, compares and inserts, while the next chunk is adapted.
struct FeedBatcher {
    /// Where the chunks go.
    let sink: FeedSink
    private let chunkSize: Int
    private let rates: RateSchedule
    private let progress: (@Sendable (Int) -> Void)?
    /// Items added so far, rejected ones included.
    private(set) var received = 0
    private var items: [IngestItem] = []
    private var rejections: [FeedSummary.Rejected] = []

    init(sink: FeedSink, configuration: Ingestor.Configuration, progress: (@Sendable (Int) -> Void)?) {
        self.sink = sink
        self.chunkSize = max(1, configuration.chunkSize)
        self.rates = configuration.rates
        self.progress = progress
    }

    /// Adds one adapted item; sends the chunk once it is full.
    mutating func add(_ item: OrderFeedItem) async throws {
        received += 1
        switch item {
        case .record(let record): items.append(.record(PreparedRecord(record, rates: rates)))
        case .pending(let order): items.append(.pending(order))
        case .returnClaim(let claim): items.append(.returnClaim(claim))
        case .rejected(let rejection): rejections.append(rejection.stored)
        }
        if items.count + rejections.count >= chunkSize { try await flush() }
    }

    /// Adds rejections counted elsewhere (settlement rows, declaration rows), a chunk at a time.
    mutating func reject(_ refused: [Rejection]) async throws {
        for rejection in refused {
            rejections.append(rejection.stored)
            if rejections.count >= chunkSize { try await flush() }
        }
    }

    /// Sends what is gathered.
    mutating func flush() async throws {
        if !items.isEmpty {
            try await sink.send(.items(items))
            items = []
        }
        if !rejections.isEmpty {
            try await sink.send(.rejections(rejections))
            rejections = []
        }
        progress?(received)
    }
}

extension Rejection {
    /// The rejection as the store keeps it.
    var stored: FeedSummary.Rejected {
        let index: Int?
        let line: Int?
        switch position {
        case .index(let value): (index, line) = (value, nil)
        case .line(let value): (index, line) = (nil, value)
        }
        return FeedSummary.Rejected(
            index: index,
            line: line,
            externalID: externalID,
            code: code?.rawValue,
            reason: reason
        )
    }
}
