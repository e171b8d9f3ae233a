/// Splits a SQL script into its statements at the `;` that end them, leaving alone a `;` inside
/// a string (`'…'`), a quoted identifier (`"…"`), a dollar-quoted body (`$$…$$`, `$tag$…$tag$`),
/// or a comment (`-- …`, `/* … */`). Empty statements are dropped; each is trimmed.
enum SQLStatementSplitter {
    static func split(_ sql: String) -> [String] {
        let text = Array(sql.unicodeScalars)
        var statements: [String] = []
        var start = 0
        var index = 0
        func append(upTo end: Int) {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text[start..<end])
            let statement = String(scalars).trimmingWhitespace()
            if !statement.isEmpty { statements.append(statement) }
        }
        while index < text.count {
            switch text[index] {
            case ";":
                append(upTo: index)
                start = index + 1
                index += 1
            case "'", "\"":
                index = skipQuoted(text, from: index, quote: text[index])
            case "-" where index + 1 < text.count && text[index + 1] == "-":
                while index < text.count, text[index] != "\n" { index += 1 }
            case "/" where index + 1 < text.count && text[index + 1] == "*":
                index = skip(text, from: index + 2, past: Array("*/".unicodeScalars))
            case "$":
                index = skipDollarQuoted(text, from: index)
            default:
                index += 1
            }
        }
        append(upTo: text.count)
        return statements
    }

    /// After the closing quote of a string or identifier that opens at `from` (a doubled quote is an escaped one).
    private static func skipQuoted(_ text: [Unicode.Scalar], from: Int, quote: Unicode.Scalar) -> Int {
        var index = from + 1
        while index < text.count {
            if text[index] == quote {
                if index + 1 < text.count, text[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return index
    }

    /// After the closing tag of a dollar-quoted body opening at `from`; one past `$` when it opens none.
    private static func skipDollarQuoted(_ text: [Unicode.Scalar], from: Int) -> Int {
        var end = from + 1
        while end < text.count,
            text[end] == "_" || text[end].properties.isAlphabetic
                || ("0"..."9").contains(text[end])
        {
            end += 1
        }
        guard end < text.count, text[end] == "$" else { return from + 1 }
        let tag = Array(text[from...end])
        return skip(text, from: end + 1, past: tag)
    }

    /// After the first occurrence of `marker` at or after `from`, or the end of the text.
    private static func skip(_ text: [Unicode.Scalar], from: Int, past marker: [Unicode.Scalar]) -> Int {
        var index = from
        while index + marker.count <= text.count {
            if Array(text[index..<(index + marker.count)]) == marker { return index + marker.count }
            index += 1
        }
        return text.count
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
