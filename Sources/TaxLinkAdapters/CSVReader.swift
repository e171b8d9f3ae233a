import TaxLinkCore

/// An RFC 4180 CSV reader: UTF-8 with an optional BOM, quoted fields with `""` escapes and line
/// breaks inside quotes, LF or CRLF line ends.
public struct CSVReader {
    /// One row with the line number it starts on (the header is line 1).
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private var line = 1

    /// A reader of `body`'s rows, one at a time: only the row being read is held.
    public init(_ body: [UInt8]) {
        var bytes = body[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    /// Reads every row of `body`. Fails on a stray quote, an unterminated quote or invalid UTF-8,
    /// naming the line.
    public static func rows(of body: [UInt8]) throws(FeedError) -> [Row] {
        var reader = CSVReader(body)
        var rows: [Row] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }

    /// The next row, or `nil` after the last. Fails on a stray quote, an unterminated quote or
    /// invalid UTF-8, naming the line.
    public mutating func next() throws(FeedError) -> Row? {
        var fields: [String] = []
        var field: [UInt8] = []
        var rowStart = line
        var inQuotes = false
        var fieldWasQuoted = false

        func text(_ raw: [UInt8], _ line: Int) throws(FeedError) -> String {
            guard let value = String(validating: raw, as: UTF8.self) else {
                throw .malformedCSV("line \(line): invalid UTF-8")
            }
            return value
        }

        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 0x0A { self.line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty, !fieldWasQuoted else {
                    throw .malformedCSV("line \(self.line): a quote inside an unquoted field")
                }
                inQuotes = true
                fieldWasQuoted = true
            case UInt8(ascii: ","):
                fields.append(try text(field, self.line))
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
            case 0x0D where index < bytes.endIndex && bytes[index] == 0x0A:
                break
            case 0x0A:
                fields.append(try text(field, self.line))
                self.line += 1
                if !(fields.count == 1 && fields[0].isEmpty) { return Row(line: rowStart, fields: fields) }
                fields.removeAll(keepingCapacity: true)
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
                rowStart = self.line
            default:
                guard !fieldWasQuoted else {
                    throw .malformedCSV("line \(self.line): text after a closing quote")
                }
                field.append(byte)
            }
        }
        guard !inQuotes else { throw .malformedCSV("line \(rowStart): unterminated quoted field") }
        guard !field.isEmpty || !fields.isEmpty || fieldWasQuoted else { return nil }
        fields.append(try text(field, self.line))
        return Row(line: rowStart, fields: fields)
    }
}

/// A CSV body as named columns: the header row maps names to positions; the rows are read one
/// at a time, so only the body and the current row are held.
struct CSVTable {
    private var reader: CSVReader
    private let columns: [String: Int]

    init(body: [UInt8], required: [String]) throws(FeedError) {
        var reader = CSVReader(body)
        guard let header = try reader.next() else { throw .empty }
        var columns: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let key = name.trimmingWhitespace()
            guard columns[key] == nil else { throw .malformedCSV("line 1: the column '\(key)' appears twice") }
            columns[key] = position
        }
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw .malformedCSV("line 1: the header lacks the column(s) \(missing.joined(separator: ", "))")
        }
        self.reader = reader
        self.columns = columns
    }

    /// The next data row, or `nil` after the last.
    mutating func next() throws(FeedError) -> CSVReader.Row? { try reader.next() }

    /// The cell of `column` in `row`, trimmed; `""` for a column the file lacks or a short row.
    func cell(_ row: CSVReader.Row, _ column: String) -> String {
        guard let position = columns[column], position < row.fields.count else { return "" }
        return row.fields[position].trimmingWhitespace()
    }

    /// Whether `row` has as many fields as the header.
    func isComplete(_ row: CSVReader.Row) -> Bool { row.fields.count == columns.count }
}
