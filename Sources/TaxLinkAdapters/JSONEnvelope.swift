/// Reads the items of a JSON envelope (`{"orders": [...]}`) held in memory one at a time, without
/// building the document: a ``JSONEnvelopeScanner`` fed the body in pieces of 64 KiB, so memory
/// stays proportional to one item, not to the body.
///
/// Errors are those of the scanner, found where they occur: items before them may already have
/// been handed out. An empty body, or one that is not a JSON object, fails at once.
public struct JSONEnvelopeReader {
    /// One item of the envelope's array.
    public typealias Item = JSONEnvelopeScanner.Item

    private static let pieceBytes = 1 << 16
    private let body: [UInt8]
    private var scanner: JSONEnvelopeScanner
    private var position = 0
    private var ready: [Item] = []
    private var readyIndex = 0
    private var finished = false

    /// The largest item (or other envelope member) read, in bytes.
    public var maximumItemBytes: Int { scanner.maximumItemBytes }

    /// Starts reading `body`, whose array of items is under the member `key`. Fails at once for an
    /// empty body or one that is not a JSON object.
    public init(body: [UInt8], key: String, maximumItemBytes: Int = 1 << 20) throws(FeedError) {
        self.body = body
        scanner = JSONEnvelopeScanner(key: key, maximumItemBytes: maximumItemBytes)
        guard let first = body.firstIndex(where: { !JSONEnvelope.isWhitespace($0) }) else { throw .empty }
        position = first + 1
        ready = try scanner.append(body[..<position])
    }

    /// The next item, or `nil` once the envelope has been read to its end (and found well formed).
    public mutating func next() throws(FeedError) -> Item? {
        while readyIndex == ready.count {
            if finished { return nil }
            if position == body.count {
                try scanner.finish()
                finished = true
                return nil
            }
            let end = body.count - position > Self.pieceBytes ? position + Self.pieceBytes : body.count
            ready = try scanner.append(body[position..<end])
            readyIndex = 0
            position = end
        }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }
}

/// Byte-level helpers shared by the JSON readers.
public enum JSONEnvelope {
    /// Whether `byte` is JSON white space.
    public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
