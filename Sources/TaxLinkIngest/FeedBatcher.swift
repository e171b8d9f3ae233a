import TaxLinkAdapters
import TaxLinkCore
import TaxLinkStore

/// Gathers a feed's adapted items into chunks and sends each full chunk to the store.
///
/// Records are prepared (flags, content digest, canonical body) on the adapting side (here, or on
/// every core by ``ParallelAdapting``), so the store's single writer only looks up, compares and
/// inserts, while the next chunk is adapted.
/// Past ``Ingestor/Configuration/maximumItems`` items the whole feed fails with
/// ``FeedError/tooManyItems(limit:)``, whatever its format.
struct FeedBatcher {
    /// Where the chunks go.
    let sink: FeedSink
    private let chunkSize: Int
    private let maximumItems: Int
    private let rates: RateSchedule
    private let progress: (@Sendable (Int) -> Void)?
    /// Items received so far, rejected and ignored ones included.
    private(set) var received = 0
    /// Items received but not kept (settlement rows that are not successful payments).
    private(set) var ignored = 0
    private var items: [IngestItem] = []
    private var settlements: [Settlement] = []
    private var rejections: [FeedSummary.Rejected] = []

    init(sink: FeedSink, configuration: Ingestor.Configuration, progress: (@Sendable (Int) -> Void)?) {
        self.sink = sink
        self.chunkSize = max(1, configuration.chunkSize)
        self.maximumItems = max(0, configuration.maximumItems)
        self.rates = configuration.rates
        self.progress = progress
    }

    /// Counts `count` items received; fails the feed once they pass the limit.
    mutating func count(_ count: Int) throws {
        guard count <= maximumItems - received else { throw FeedError.tooManyItems(limit: maximumItems) }
        received += count
    }

    /// Adds one adapted item, preparing it here; sends the chunk once it is full.
    mutating func add(_ item: OrderFeedItem) async throws {
        try await add(PreparedItem(item, rates: rates))
    }

    /// Adds one item already prepared (on another core, by ``ParallelAdapting``); sends the chunk once it is full.
    mutating func add(_ item: PreparedItem) async throws {
        try count(1)
        switch item {
        case .item(let item): items.append(item)
        case .rejected(let rejection): rejections.append(rejection)
        }
        try await flushWhenFull()
    }

    /// Adds one row of a settlement file.
    mutating func add(_ row: VNPaySettlementsAdapter.Row) async throws {
        try count(1)
        switch row {
        case .settlement(let settlement): settlements.append(settlement)
        case .ignored: ignored += 1
        case .rejected(let rejection): rejections.append(rejection.stored)
        }
        try await flushWhenFull()
    }

    /// Adds the rejection of an item already counted (a declaration's row).
    mutating func reject(_ rejection: Rejection) async throws {
        rejections.append(rejection.stored)
        try await flushWhenFull()
    }

    private mutating func flushWhenFull() async throws {
        if items.count + settlements.count + rejections.count >= chunkSize { try await flush() }
    }

    /// Sends what is gathered.
    mutating func flush() async throws {
        if !items.isEmpty {
            try await sink.send(.items(items))
            items = []
        }
        if !settlements.isEmpty {
            try await sink.send(.settlements(settlements))
            settlements = []
        }
        if !rejections.isEmpty {
            try await sink.send(.rejections(rejections))
            rejections = []
        }
        progress?(received)
    }
}

/// One item of an orders or returns feed, adapted and prepared for the store: records carry their
/// flags, content digest and canonical body (``TaxLinkStore/PreparedRecord``).
enum PreparedItem: Sendable {
    case item(IngestItem)
    case rejected(FeedSummary.Rejected)

    /// Prepares `item`, assessing a record under `rates`.
    init(_ item: OrderFeedItem, rates: RateSchedule) {
        switch item {
        case .record(let record): self = .item(.record(PreparedRecord(assessing: record, rates: rates)))
        case .pending(let order): self = .item(.pending(order))
        case .returnClaim(let claim): self = .item(.returnClaim(claim))
        case .rejected(let rejection): self = .rejected(rejection.stored)
        }
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
