import TaxLinkCore

/// Reads the items of a JSON envelope (`{"orders": [...]}`) one at a time, without building the
/// document: memory stays proportional to one item, not to the body.
///
/// The reader scans the envelope's structure (strings, brackets, commas) to find where each item of
/// the array begins and ends, and hands out the item's bytes with its index; the caller parses each
/// item on its own with ``JSONParser``. Members other than the array are checked the same way and
/// must be small. Structural errors (an unterminated string, unbalanced brackets, a missing
/// comma, trailing text, nesting deeper than ``JSONParser/maximumDepth``) and envelope errors (no
/// array under the key, the key twice) are ``FeedError``s, found where they occur: items before
/// them may already have been handed out, so the caller must be able to discard them (the store
/// writes a feed in one transaction).
public struct JSONEnvelopeReader {
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

    private enum State {
        case members
        case firstItem
        case nextItem
        case done
    }

    private let body: [UInt8]
    private let key: String
    /// The largest item (or other envelope member) read, in bytes.
    public let maximumItemBytes: Int
    private var position = 0
    private var state = State.members
    private var foundKey = false
    private var nextIndex = 0

    /// Starts reading `body`, whose array of items is under the member `key`. Fails at once for an
    /// empty body or one that is not a JSON object.
    public init(body: [UInt8], key: String, maximumItemBytes: Int = 1 << 20) throws(FeedError) {
        self.body = body
        self.key = key
        self.maximumItemBytes = maximumItemBytes
        skipWhitespace()
        guard position < body.count else { throw .empty }
        guard body[position] == UInt8(ascii: "{") else {
            throw .malformedEnvelope(
                "expected an object {\"\(key)\": [...]}, found \(Self.typeName(of: body[position]))"
            )
        }
        position += 1
    }

    /// The next item, or `nil` once the envelope has been read to its end (and found well formed).
    public mutating func next() throws(FeedError) -> Item? {
        while true {
            switch state {
            case .done:
                return nil
            case .members:
                try readMembers()
            case .firstItem, .nextItem:
                skipWhitespace()
                guard position < body.count else { throw unexpectedEnd() }
                if body[position] == UInt8(ascii: "]") {
                    position += 1
                    state = .members
                    try expectMemberSeparator()
                    continue
                }
                if state == .nextItem {
                    guard body[position] == UInt8(ascii: ",") else { throw unexpected("',' or ']' after an item") }
                    position += 1
                    skipWhitespace()
                    guard position < body.count, body[position] != UInt8(ascii: "]") else {
                        throw unexpected("an item after ','")
                    }
                }
                state = .nextItem
                let start = position
                position = try endOfValue(from: start)
                let size = position - start
                defer { nextIndex += 1 }
                let content: Item.Content =
                    size > maximumItemBytes
                    ? .tooLarge(size: size, limit: maximumItemBytes) : .bytes(body[start..<position])
                return Item(index: nextIndex, offset: start, content: content)
            }
        }
    }

    /// Reads members up to the start of the items' array (state `firstItem`) or the end of the
    /// envelope (state `done`).
    private mutating func readMembers() throws(FeedError) {
        while true {
            skipWhitespace()
            guard position < body.count else { throw unexpectedEnd() }
            if body[position] == UInt8(ascii: "}") {
                position += 1
                guard foundKey else { throw .malformedEnvelope("expected an array in the member \"\(key)\"") }
                skipWhitespace()
                guard position == body.count else { throw syntax("unexpected text after the JSON value") }
                state = .done
                return
            }
            let name = try memberName()
            if name == key {
                guard !foundKey else { throw .malformedEnvelope("the member \"\(key)\" appears twice") }
                guard position < body.count, body[position] == UInt8(ascii: "[") else {
                    throw .malformedEnvelope("expected an array in the member \"\(key)\"")
                }
                foundKey = true
                position += 1
                state = .firstItem
                return
            }
            try skipMemberValue(name)
            try expectMemberSeparator()
        }
    }

    /// Reads `"name":` and the white space after it.
    private mutating func memberName() throws(FeedError) -> String {
        guard body[position] == UInt8(ascii: "\"") else { throw unexpected("a member name") }
        let start = position
        position = try endOfString(from: start)
        guard position - start <= maximumItemBytes else { throw .malformedEnvelope("a member name is too long") }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(body[start..<position])
        } catch {
            throw .malformedJSON(error, at: start)
        }
        guard case .string(let name) = parsed else { throw unexpected("a member name") }
        skipWhitespace()
        guard position < body.count, body[position] == UInt8(ascii: ":") else { throw unexpected("':'") }
        position += 1
        skipWhitespace()
        return name
    }

    /// Checks a member other than the items: small, and valid JSON.
    private mutating func skipMemberValue(_ name: String) throws(FeedError) {
        let start = position
        position = try endOfValue(from: start)
        guard position - start <= maximumItemBytes else {
            throw .malformedEnvelope("the member \"\(name)\" is larger than \(maximumItemBytes) bytes")
        }
        do {
            _ = try JSONParser.parse(body[start..<position])
        } catch {
            throw .malformedJSON(error, at: start)
        }
    }

    /// After a member's value: `,` then another member, or the closing `}` (left for the caller).
    private mutating func expectMemberSeparator() throws(FeedError) {
        skipWhitespace()
        guard position < body.count else { throw unexpectedEnd() }
        switch body[position] {
        case UInt8(ascii: ","):
            position += 1
            skipWhitespace()
            guard position < body.count, body[position] != UInt8(ascii: "}") else { throw unexpected("a member name") }
        case UInt8(ascii: "}"):
            return
        default:
            throw unexpected("',' or '}' after a member")
        }
    }

    /// The end (exclusive) of the value starting at `start`: a string, a balanced object or array,
    /// or a literal or number running to the next delimiter. Its inside is not checked here.
    private func endOfValue(from start: Int) throws(FeedError) -> Int {
        guard start < body.count else { throw unexpectedEnd() }
        switch body[start] {
        case UInt8(ascii: "\""):
            return try endOfString(from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var closers: [UInt8] = []
            var index = start
            while index < body.count {
                switch body[index] {
                case UInt8(ascii: "\""):
                    index = try endOfString(from: index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    closers.append(body[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    guard closers.count <= JSONParser.maximumDepth else {
                        throw syntax("nesting deeper than \(JSONParser.maximumDepth)", at: index)
                    }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard closers.last == body[index] else { throw syntax("unexpected character", at: index) }
                    closers.removeLast()
                    if closers.isEmpty { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            throw unexpectedEnd()
        default:
            var index = start
            while index < body.count, !Self.isDelimiter(body[index]) { index += 1 }
            guard index > start else { throw syntax("unexpected character", at: start) }
            return index
        }
    }

    /// The end (exclusive) of the string whose opening quote is at `start`.
    private func endOfString(from start: Int) throws(FeedError) -> Int {
        var index = start + 1
        while index < body.count {
            switch body[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        throw syntax("unterminated string", at: start)
    }

    private mutating func skipWhitespace() {
        while position < body.count, JSONEnvelope.isWhitespace(body[position]) { position += 1 }
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        JSONEnvelope.isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")
            || byte == UInt8(ascii: "}")
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

    private func syntax(_ message: String, at offset: Int? = nil) -> FeedError {
        .malformedJSON("invalid JSON at byte \(offset ?? position): \(message)")
    }

    private func unexpected(_ expected: String) -> FeedError { syntax("expected \(expected)") }

    private func unexpectedEnd() -> FeedError { syntax("unexpected end of input", at: body.count) }
}

/// Byte-level helpers shared by the JSON readers.
public enum JSONEnvelope {
    /// Whether `byte` is JSON white space.
    public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
