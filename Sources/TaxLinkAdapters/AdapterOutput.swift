import TaxLinkCore

/// What the connector knows about the feed being read: adapters are pure, so the receive time and
/// the feed's id come in from outside.
public struct FeedContext: Sendable, Hashable {
    /// The id the store gave the feed.
    public var feedID: String
    /// When the feed arrived (or `--received-at` when replaying an archive).
    public var receivedAt: Timestamp
    /// The platform (or gateway) the feed came from, from its path.
    public var platform: String

    public init(feedID: String, receivedAt: Timestamp, platform: String) {
        self.feedID = feedID
        self.receivedAt = receivedAt
        self.platform = platform
    }

    /// Where records of this feed came from.
    public var source: RecordSource { RecordSource(feedID: feedID, receivedAt: receivedAt) }
}

/// Where an item sits in its feed: its index in a JSON envelope's array, or its line number in an
/// NDJSON or CSV body (the first line is 1).
public enum ItemPosition: Sendable, Hashable, CustomStringConvertible {
    case index(Int)
    case line(Int)

    public var description: String {
        switch self {
        case .index(let index): "item \(index)"
        case .line(let line): "line \(line)"
        }
    }
}

/// An item the adapter refused, and why. The rest of the feed is still stored.
public struct Rejection: Sendable, Hashable {
    public var position: ItemPosition
    /// The order, return or transaction id, when it could be read.
    public var externalID: String?
    /// What is wrong, naming the field.
    public var reason: String
    /// `AMOUNT_INVALID` for a bad money field, otherwise `nil` (a malformed item).
    public var code: DiscrepancyCode?

    /// A rejection; the id and the reason are kept as ``RecordLimits/echo(_:maximumLength:)`` gives
    /// them, so a hostile value (a 10 MB id, a number literal of a million digits) is never repeated whole.
    public init(position: ItemPosition, externalID: String?, reason: String, code: DiscrepancyCode? = nil) {
        self.position = position
        self.externalID = externalID.map { RecordLimits.echo($0, maximumLength: RecordLimits.maximumIdentifierLength) }
        self.reason = RecordLimits.echo(reason)
        self.code = code
    }
}

/// One item of an orders or returns feed, after its adapter.
public enum OrderFeedItem: Sendable, Hashable {
    case record(AdaptedRecord)
    case pending(PendingOrder)
    case returnClaim(ReturnClaim)
    case rejected(Rejection)
}
