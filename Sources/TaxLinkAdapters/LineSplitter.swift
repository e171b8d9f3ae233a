/// Splits a stream of byte chunks into lines, so an NDJSON feed of any size is read in constant memory.
///
/// Feed it chunks as they arrive; it hands back each complete line with its number (the first is 1).
/// Blank lines are skipped but counted.
public struct LineSplitter: Sendable {
    /// One line of the stream.
    public struct Line: Sendable, Hashable {
        /// The line's number, from 1.
        public var number: Int
        /// The line's bytes without its line break; for a truncated line, the first
        /// `maximumLineLength + 1` of them.
        public var bytes: [UInt8]
        /// Whether the line was longer than the maximum and was cut.
        public var isTruncated: Bool
    }

    private var pending: [UInt8] = []
    private var lineNumber = 0
    /// The longest line accepted, in bytes.
    public let maximumLineLength: Int

    /// A splitter that refuses lines longer than `maximumLineLength` bytes (default 1 MiB).
    public init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Adds a chunk and returns the lines it completed.
    public mutating func append(_ chunk: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var rest = chunk[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            take(rest[..<newline])
            emit(into: &lines)
            rest = rest[rest.index(after: newline)...]
        }
        take(rest)
        return lines
    }

    /// The last line, when the stream did not end with a newline.
    public mutating func finish() -> [Line] {
        var lines: [Line] = []
        if !pending.isEmpty { emit(into: &lines) }
        return lines
    }

    /// Adds bytes to the line being read, dropping what passes the maximum length.
    private mutating func take(_ bytes: ArraySlice<UInt8>) {
        let room = maximumLineLength + 1 - pending.count
        if room > 0 { pending.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func emit(into lines: inout [Line]) {
        lineNumber += 1
        let isTruncated = pending.count > maximumLineLength
        if !isTruncated, pending.last == 0x0D { pending.removeLast() }
        if pending.contains(where: { !JSONEnvelope.isWhitespace($0) }) {
            lines.append(Line(number: lineNumber, bytes: pending, isTruncated: isTruncated))
        }
        pending.removeAll(keepingCapacity: true)
    }
}
