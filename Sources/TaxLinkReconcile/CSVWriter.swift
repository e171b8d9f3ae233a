/// Writes CSV as RFC 4180 says: UTF-8, CRLF line ends, fields quoted when they hold a comma, a quote or
/// a line break, quotes doubled.
///
/// Cells that begin with `=`, `+`, `-` or `@` (or a tab or carriage return) are neutralised against
/// formula injection with a leading `'`, so a spreadsheet shows them as text.
public struct CSVWriter: Sendable {
    /// The document so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty document.
    public init() {}

    /// Appends one row.
    public mutating func row(_ cells: [String?]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(cell ?? "")
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// The cell as it will be written, before quoting: neutralised when it could start a formula.
    public static func neutralised(_ cell: String) -> String {
        guard let first = cell.utf8.first else { return cell }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + cell
        default: return cell
        }
    }

    private mutating func append(_ cell: String) {
        let text = Self.neutralised(cell)
        let needsQuotes = text.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        guard needsQuotes else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
