import TaxLinkCore

extension JSONItemAdapter {
    /// Adapts one item of an envelope: an item over the size limit is rejected unread; an item that
    /// is not JSON makes the body malformed.
    public func adapt(_ item: JSONEnvelopeReader.Item, context: FeedContext) throws(FeedError) -> OrderFeedItem {
        switch item.content {
        case .tooLarge(let size, let limit):
            return .rejected(
                Rejection(
                    position: .index(item.index),
                    externalID: nil,
                    reason: "the item is \(size) bytes, over the limit of \(limit) bytes"
                )
            )
        case .bytes(let bytes):
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                throw .malformedJSON(error, at: item.offset)
            }
            return adapt(value, at: .index(item.index), context: context)
        }
    }

    /// Adapts one NDJSON line: a line that is not JSON, or longer than the limit, is rejected on its own.
    public func adapt(_ line: LineSplitter.Line, context: FeedContext) -> OrderFeedItem {
        guard !line.isTruncated else {
            return .rejected(
                Rejection(
                    position: .line(line.number),
                    externalID: nil,
                    reason: "the line is longer than the limit of \(line.bytes.count - 1) bytes"
                )
            )
        }
        do {
            return adapt(try JSONParser.parse(line.bytes), at: .line(line.number), context: context)
        } catch {
            return .rejected(Rejection(position: .line(line.number), externalID: nil, reason: error.description))
        }
    }
}
