import TaxLinkCore

/// An RFC 4180 CSV reader: UTF-8 with an optional BOM, quoted fields with `""` escapes and line
/// breaks inside quotes, LF or CRLF line ends.
public struct CSVReader {
    /// One row with the line number it starts on (the header is line 1).
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    /// Reads every row of `body`. Fails on a stray quote, an unterminated quote or invalid UTF-8,
    /// naming the line.
    public static func rows(of body: [UInt8]) throws(FeedError) -> [Row] {
        var bytes = body[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var rowStart = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var index = bytes.startIndex

        func text(_ raw: [UInt8]) throws(FeedError) -> String {
            guard let value = String(validating: raw, as: UTF8.self) else {
                throw .malformedCSV("line \(line): invalid UTF-8")
            }
            return value
        }

        while index < bytes.endIndex {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !fieldWasQuoted else {
                        throw .malformedCSV("line \(line): a quote inside an unquoted field")
                    }
                    inQuotes = true
                    fieldWasQuoted = true
                case UInt8(ascii: ","):
                    fields.append(try text(field))
                    field.removeAll(keepingCapacity: true)
                    fieldWasQuoted = false
                case 0x0D where index + 1 < bytes.endIndex && bytes[index + 1] == 0x0A:
                    break
                case 0x0A:
                    fields.append(try text(field))
                    if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, fields: fields)) }
                    fields.removeAll(keepingCapacity: true)
                    field.removeAll(keepingCapacity: true)
                    fieldWasQuoted = false
                    line += 1
                    rowStart = line
                default:
                    guard !fieldWasQuoted else {
                        throw .malformedCSV("line \(line): text after a closing quote")
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        guard !inQuotes else { throw .malformedCSV("line \(rowStart): unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted {
            fields.append(try text(field))
            rows.append(Row(line: rowStart, fields: fields))
        }
        return rows
    }
}

/// A CSV body as named columns: the header row maps names to positions.
struct CSVTable: Sendable {
    let rows: [CSVReader.Row]
    private let columns: [String: Int]

    init(body: [UInt8], required: [String]) throws(FeedError) {
        var rows = try CSVReader.rows(of: body)
        guard !rows.isEmpty else { throw .empty }
        let header = rows.removeFirst()
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
        self.rows = rows
        self.columns = columns
    }

    /// The cell of `column` in `row`, trimmed; `""` for a column the file lacks or a short row.
    func cell(_ row: CSVReader.Row, _ column: String) -> String {
        guard let position = columns[column], position < row.fields.count else { return "" }
        return row.fields[position].trimmingWhitespace()
    }

    /// Whether `row` has as many fields as the header.
    func isComplete(_ row: CSVReader.Row) -> Bool { row.fields.count == columns.count }
}
