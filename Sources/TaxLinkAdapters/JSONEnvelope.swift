import TaxLinkCore

/// Reads the items of a JSON envelope (`{"orders": [...]}`) or of NDJSON (one item a line).
public enum JSONEnvelope {
    /// The items of a whole JSON envelope body, with their array index.
    public static func items(of body: [UInt8], key: String) throws(FeedError) -> [JSONValue] {
        guard body.contains(where: { !isWhitespace($0) }) else { throw .empty }
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw .malformedJSON(error.description)
        }
        guard case .object = document else {
            throw .malformedEnvelope("expected an object {\"\(key)\": [...]}, found \(document.typeName)")
        }
        guard let items = document[key]?.arrayValue else {
            throw .malformedEnvelope("expected an array in the member \"\(key)\"")
        }
        return items
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// Splits a stream of byte chunks into lines, so an NDJSON feed of any size is read in constant memory.
///
/// Feed it chunks as they arrive; it hands back each complete line with its number (the first is 1).
/// Blank lines are skipped but counted.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    private var lineNumber = 0
    /// The longest line accepted, in bytes.
    public let maximumLineLength: Int

    public init(maximumLineLength: Int = 16 * 1024 * 1024) {
        self.maximumLineLength = maximumLineLength
    }

    /// Adds a chunk and returns the lines it completed.
    public mutating func append(_ chunk: [UInt8]) -> [(number: Int, bytes: [UInt8])] {
        var lines: [(number: Int, bytes: [UInt8])] = []
        var rest = chunk[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            take(rest[..<newline])
            emit(into: &lines)
            rest = rest[rest.index(after: newline)...]
        }
        take(rest)
        return lines
    }

    /// Adds bytes to the line being read, dropping what passes the maximum length.
    private mutating func take(_ bytes: ArraySlice<UInt8>) {
        let room = maximumLineLength + 1 - pending.count
        if room > 0 { pending.append(contentsOf: bytes.prefix(room)) }
    }

    /// The last line, when the stream did not end with a newline.
    public mutating func finish() -> [(number: Int, bytes: [UInt8])] {
        var lines: [(number: Int, bytes: [UInt8])] = []
        if !pending.isEmpty { emit(into: &lines) }
        return lines
    }

    private mutating func emit(into lines: inout [(number: Int, bytes: [UInt8])]) {
        lineNumber += 1
        if pending.last == 0x0D { pending.removeLast() }
        if pending.contains(where: { !JSONEnvelope.isWhitespace($0) }) {
            lines.append((number: lineNumber, bytes: pending))
        }
        pending.removeAll(keepingCapacity: true)
    }
}

extension JSONItemAdapter {
    /// Adapts one NDJSON line: a line that is not JSON is rejected on its own.
    public func adaptLine(_ bytes: [UInt8], number: Int, context: FeedContext) -> OrderFeedItem {
        do {
            return adapt(try JSONParser.parse(bytes), at: .line(number), context: context)
        } catch {
            return .rejected(Rejection(position: .line(number), externalID: nil, reason: error.description))
        }
    }
}
