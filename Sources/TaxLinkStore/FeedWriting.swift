import TaxLinkCore

/// One part of a feed on its way to the store, in the order the feed is read.
public enum FeedPart: Sendable {
    /// Accepted items of an orders or returns feed: records, pending orders, return claims.
    case items([IngestItem])
    /// Gateway settlements; a transaction number seen before is a duplicate.
    case settlements([Settlement])
    /// A declaration; it replaces an earlier one for the same platform and period.
    case declaration(Declaration)
    /// Items the adapter refused, in feed order.
    case rejections([FeedSummary.Rejected])
}

/// What only the end of a feed tells: how many items it had and the digest of its body.
public struct FeedEnd: Sendable, Hashable {
    /// Items in the feed, accepted or not.
    public var received: Int
    /// Rows that were not payments (settlements with a status other than `00`).
    public var ignored: Int
    /// SHA-256 of the body, in lower-case hex.
    public var bodySHA256: String

    public init(received: Int, ignored: Int = 0, bodySHA256: String) {
        self.received = received
        self.ignored = ignored
        self.bodySHA256 = bodySHA256
    }
}

/// Where the producer of a feed sends its parts; given to it by ``Storage/storeFeed(_:resolving:_:)``.
public struct FeedSink: Sendable {
    /// The id the store gave the feed; records of the feed carry it.
    public let feedID: String
    private let deliver: @Sendable (FeedPart) async throws -> Void

    /// A sink for the feed `feedID` that hands each part to `deliver`.
    public init(feedID: String, deliver: @escaping @Sendable (FeedPart) async throws -> Void) {
        self.feedID = feedID
        self.deliver = deliver
    }

    /// Sends a part; it may wait while the store catches up. Throws when the feed's write failed.
    public func send(_ part: FeedPart) async throws {
        try await deliver(part)
    }
}

/// How far a feed got.
public enum FeedStatus: String, Sendable, Hashable, CaseIterable {
    /// Arriving now (or its process is gone and the store has not been reopened since).
    case receiving
    /// Stored and answered; its items are visible.
    case complete
    /// Refused or cut off: nothing of it was kept.
    case failed
    /// Left `receiving` by a process that stopped; found when the store was opened. Nothing of it was kept.
    case abandoned
}

/// A feed as the store keeps it.
public struct StoredFeed: Sendable, Hashable {
    public var id: String
    /// `platform/kind` of the push path.
    public var source: String
    public var receivedAt: Timestamp
    public var status: FeedStatus
    /// SHA-256 of the body, once complete.
    public var bodySHA256: String?
    /// The summary answered to the push, once complete (with at most the first 1,000 rejections).
    public var summary: FeedSummary?

    public init(
        id: String,
        source: String,
        receivedAt: Timestamp,
        status: FeedStatus,
        bodySHA256: String?,
        summary: FeedSummary?
    ) {
        self.id = id
        self.source = source
        self.receivedAt = receivedAt
        self.status = status
        self.bodySHA256 = bodySHA256
        self.summary = summary
    }
}
