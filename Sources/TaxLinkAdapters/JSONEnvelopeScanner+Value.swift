import TaxLinkCore

extension JSONEnvelopeScanner {
    /// One value of the envelope (a member name, a member's value, an item) being scanned, possibly
    /// across several chunks. It finds where the value ends (a string's closing quote, the bracket
    /// that balances the first, the delimiter after a literal or number) and keeps its bytes up to
    /// the limit; its inside is checked later by ``TaxLinkCore/JSONParser``.
    struct ValueScan: Sendable {
        private enum Kind: Sendable {
            case string
            case container
            case scalar
        }

        let purpose: Purpose
        /// The value's offset in the body.
        let start: Int
        private let limit: Int
        private let kind: Kind
        /// The value's bytes, at most `limit` of them.
        private(set) var bytes: [UInt8] = []
        /// The value's size in bytes so far.
        private(set) var size = 0
        /// Whether the value's last byte has been read.
        private(set) var isComplete = false
        private var closers: [UInt8] = []
        private var inString = false
        private var escaped = false
        private var stringStart = 0

        init(purpose: Purpose, first: UInt8, start: Int, limit: Int) {
            self.purpose = purpose
            self.start = start
            self.limit = limit
            switch first {
            case UInt8(ascii: "\""): kind = .string
            case UInt8(ascii: "{"), UInt8(ascii: "["): kind = .container
            default: kind = .scalar
            }
        }

        /// The offset of a string still open (for "unterminated string"), if any.
        var openStringStart: Int? { inString ? stringStart : nil }

        /// Reads the value's bytes from `chunk` starting at `index` until it ends or the chunk does;
        /// returns the index after the last byte read. `base` turns an index into a body offset.
        mutating func consume(_ chunk: ArraySlice<UInt8>, from index: Int, base: Int) throws(FeedError) -> Int {
            let end: Int
            switch kind {
            case .scalar:
                var cursor = index
                while cursor < chunk.endIndex, !Self.isDelimiter(chunk[cursor]) { cursor += 1 }
                isComplete = cursor < chunk.endIndex
                end = cursor
            case .string, .container:
                end = try scanStructure(chunk, from: index, base: base)
            }
            keep(chunk[index..<end])
            return end
        }

        /// Follows strings, escapes and brackets to the end of a string or container.
        private mutating func scanStructure(_ chunk: ArraySlice<UInt8>, from index: Int, base: Int) throws(FeedError)
            -> Int
        {
            var cursor = index
            while cursor < chunk.endIndex {
                let byte = chunk[cursor]
                cursor += 1
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if closers.isEmpty {
                            isComplete = true
                            return cursor
                        }
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                    stringStart = base + cursor - 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    closers.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    guard closers.count <= JSONParser.maximumDepth else {
                        throw JSONEnvelopeScanner.syntax(
                            "nesting deeper than \(JSONParser.maximumDepth)", at: base + cursor - 1)
                    }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard closers.last == byte else {
                        throw JSONEnvelopeScanner.syntax("unexpected character", at: base + cursor - 1)
                    }
                    closers.removeLast()
                    if closers.isEmpty {
                        isComplete = true
                        return cursor
                    }
                default:
                    break
                }
            }
            return cursor
        }

        /// Counts `part` and keeps what fits under the limit (a value over it is not read).
        private mutating func keep(_ part: ArraySlice<UInt8>) {
            size += part.count
            let room = limit - bytes.count
            if room > 0 { bytes.append(contentsOf: part.prefix(room)) }
        }

        /// Whether `byte` ends a literal or a number.
        static func isDelimiter(_ byte: UInt8) -> Bool {
            JSONEnvelope.isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")
                || byte == UInt8(ascii: "}")
        }
    }
}
