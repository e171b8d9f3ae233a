import TaxLinkCore

/// Finds the items of a JSON envelope (`{"orders": [...]}`) in a body that arrives in pieces, so a
/// body of any size is read in memory proportional to one item.
///
/// Feed it the body's chunks as they come (``append(_:)``); it hands back each item of the array
/// whose last byte has arrived, with its index and its offset in the body, and ``finish()`` checks
/// that the body ended where the envelope does. It scans only the envelope's structure (strings and
/// their escapes, brackets, commas): each item is parsed on its own by the caller with
/// ``TaxLinkCore/JSONParser``. Members other than the array must be small and are parsed here.
/// Structural errors (an unterminated string, unbalanced brackets, a missing comma, trailing text,
/// nesting deeper than ``TaxLinkCore/JSONParser/maximumDepth``) and envelope errors (no array under
/// the key, the key twice) are ``FeedError``s, thrown where they occur: items before them may
/// already have been handed out, so the caller must be able to discard them (the store writes a
/// feed in one transaction). An item larger than ``maximumItemBytes`` is counted, not kept.
public struct JSONEnvelopeScanner: Sendable {
    /// One item of the envelope's array.
    public struct Item: Sendable, Hashable {
        /// The item's content.
        public enum Content: Sendable, Hashable {
            /// The item's bytes, to be parsed.
            case bytes(ArraySlice<UInt8>)
            /// The item is larger than the limit (both in bytes). It is not read.
            case tooLarge(size: Int, limit: Int)
        }

        /// Index in the envelope's array, from 0.
        public var index: Int
        /// Byte offset of the item in the body, for error messages.
        public var offset: Int
        public var content: Content
    }

    /// Where the scanner is in the envelope, between values.
    private enum Phase: Sendable, Equatable {
        /// Before the opening `{`.
        case opening
        /// Before a member name (or, for the first member, the closing `}`).
        case memberStart(first: Bool)
        /// After a member name, before its `:`.
        case colon(name: String)
        /// After `:`, before the member's value.
        case memberValue(name: String)
        /// After a member's value, before `,` or `}`.
        case memberEnd
        /// Before an item (or, for the first item, the closing `]`).
        case itemStart(first: Bool)
        /// After an item, before `,` or `]`.
        case itemEnd
        /// After the closing `}`: only white space may follow.
        case trailing
    }

    /// What a value being scanned is.
    enum Purpose: Sendable {
        case name
        case member(String)
        case item
    }

    private let key: String
    /// The largest item (or other envelope member) read, in bytes.
    public let maximumItemBytes: Int
    private var phase = Phase.opening
    private var value: ValueScan?
    private var foundKey = false
    private var nextIndex = 0
    /// Bytes of the body seen so far: the offset of the next chunk's first byte.
    public private(set) var offset = 0

    /// A scanner for an envelope whose array of items is under the member `key`.
    public init(key: String, maximumItemBytes: Int = 1 << 20) {
        self.key = key
        self.maximumItemBytes = max(0, maximumItemBytes)
    }

    /// Whether the envelope's opening `{` has been read (the body is not empty and starts like an envelope).
    public var hasStarted: Bool { phase != .opening }

    /// Adds the next chunk of the body and returns the items it completed.
    public mutating func append(_ chunk: [UInt8]) throws(FeedError) -> [Item] {
        try append(chunk[...])
    }

    /// Adds the next chunk of the body and returns the items it completed.
    public mutating func append(_ chunk: ArraySlice<UInt8>) throws(FeedError) -> [Item] {
        var items: [Item] = []
        var index = chunk.startIndex
        let base = offset - chunk.startIndex
        defer { offset += chunk.count }
        while index < chunk.endIndex {
            if var scan = value {
                value = nil
                index = try scan.consume(chunk, from: index, base: base)
                if scan.isComplete {
                    try complete(scan, into: &items)
                } else {
                    value = scan
                }
                continue
            }
            let byte = chunk[index]
            if JSONEnvelope.isWhitespace(byte) {
                index += 1
                continue
            }
            if try structural(byte, at: base + index) { index += 1 }
        }
        return items
    }

    /// Checks that the body, now complete, ended with the envelope.
    public func finish() throws(FeedError) {
        if let value {
            if let stringStart = value.openStringStart { throw Self.syntax("unterminated string", at: stringStart) }
            throw Self.syntax("unexpected end of input", at: offset)
        }
        switch phase {
        case .opening: throw .empty
        case .trailing: return
        default: throw Self.syntax("unexpected end of input", at: offset)
        }
    }

    /// Handles a structural byte between values. Returns whether it was consumed; a byte that starts
    /// a value is left for the value's scan.
    private mutating func structural(_ byte: UInt8, at position: Int) throws(FeedError) -> Bool {
        switch phase {
        case .opening:
            guard byte == UInt8(ascii: "{") else {
                throw .malformedEnvelope("expected an object {\"\(key)\": [...]}, found \(Self.typeName(of: byte))")
            }
            phase = .memberStart(first: true)
        case .memberStart(let first):
            if first, byte == UInt8(ascii: "}") { return try close() }
            guard byte == UInt8(ascii: "\"") else { throw Self.unexpected("a member name", at: position) }
            try begin(.name, with: byte, at: position)
            return false
        case .colon(let name):
            guard byte == UInt8(ascii: ":") else { throw Self.unexpected("':'", at: position) }
            phase = .memberValue(name: name)
        case .memberValue(let name) where name == key:
            guard !foundKey else { throw .malformedEnvelope("the member \"\(key)\" appears twice") }
            guard byte == UInt8(ascii: "[") else { throw .malformedEnvelope("expected an array in the member \"\(key)\"") }
            foundKey = true
            phase = .itemStart(first: true)
        case .memberValue(let name):
            try begin(.member(name), with: byte, at: position)
            return false
        case .memberEnd:
            switch byte {
            case UInt8(ascii: ","): phase = .memberStart(first: false)
            case UInt8(ascii: "}"): return try close()
            default: throw Self.unexpected("',' or '}' after a member", at: position)
            }
        case .itemStart(let first):
            if byte == UInt8(ascii: "]") {
                guard first else { throw Self.unexpected("an item after ','", at: position) }
                phase = .memberEnd
                return true
            }
            try begin(.item, with: byte, at: position)
            return false
        case .itemEnd:
            switch byte {
            case UInt8(ascii: ","): phase = .itemStart(first: false)
            case UInt8(ascii: "]"): phase = .memberEnd
            default: throw Self.unexpected("',' or ']' after an item", at: position)
            }
        case .trailing:
            throw Self.syntax("unexpected text after the JSON value", at: position)
        }
        return true
    }

    /// The closing `}` of the envelope.
    private mutating func close() throws(FeedError) -> Bool {
        guard foundKey else { throw .malformedEnvelope("expected an array in the member \"\(key)\"") }
        phase = .trailing
        return true
    }

    private mutating func begin(_ purpose: Purpose, with byte: UInt8, at position: Int) throws(FeedError) {
        guard !ValueScan.isDelimiter(byte) else { throw Self.syntax("unexpected character", at: position) }
        value = ValueScan(purpose: purpose, first: byte, start: position, limit: maximumItemBytes)
    }

    /// A value whose last byte has been read: a member name, another member's value, or an item.
    private mutating func complete(_ scan: ValueScan, into items: inout [Item]) throws(FeedError) {
        let tooLarge = scan.size > maximumItemBytes
        switch scan.purpose {
        case .name:
            guard !tooLarge else { throw .malformedEnvelope("a member name is too long") }
            guard case .string(let name) = try Self.parse(scan) else {
                throw Self.unexpected("a member name", at: scan.start)
            }
            phase = .colon(name: name)
        case .member(let name):
            guard !tooLarge else {
                throw .malformedEnvelope("the member \"\(name)\" is larger than \(maximumItemBytes) bytes")
            }
            _ = try Self.parse(scan)
            phase = .memberEnd
        case .item:
            let content: Item.Content =
                tooLarge ? .tooLarge(size: scan.size, limit: maximumItemBytes) : .bytes(scan.bytes[...])
            items.append(Item(index: nextIndex, offset: scan.start, content: content))
            nextIndex += 1
            phase = .itemEnd
        }
    }

    private static func parse(_ scan: ValueScan) throws(FeedError) -> JSONValue {
        do {
            return try JSONParser.parse(scan.bytes)
        } catch {
            throw .malformedJSON(error, at: scan.start)
        }
    }

    private static func typeName(of first: UInt8) -> String {
        switch first {
        case UInt8(ascii: "["): "array"
        case UInt8(ascii: "\""): "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "boolean"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "number"
        default: "text that is not JSON"
        }
    }

    static func syntax(_ message: String, at offset: Int) -> FeedError {
        .malformedJSON("invalid JSON at byte \(offset): \(message)")
    }

    private static func unexpected(_ expected: String, at offset: Int) -> FeedError {
        syntax("expected \(expected)", at: offset)
    }
}
