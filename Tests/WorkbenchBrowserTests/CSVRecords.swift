/// Reads CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks).
enum CSVRecords {
    /// The records of `text`, each a list of fields; a leading UTF-8 BOM and a final line break are ignored.
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = text.hasPrefix("\u{FEFF}") ? Substring(text.dropFirst()) : Substring(text)
        while let character = characters.popFirst() {
            switch (quoted, character) {
            case (true, "\""):
                if characters.first == "\"" {
                    field.append("\"")
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            case (true, _): field.append(character)
            case (false, "\""): quoted = true
            case (false, ","):
                record.append(field)
                field = ""
            case (false, "\n"), (false, "\r\n"), (false, "\r"):
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
        return records
    }
}
