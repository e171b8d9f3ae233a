import TaxLinkCore

/// How the workbench writes values on its pages: escaped text, đồng, Vietnam time, URLs.
public enum WorkbenchFormat {
    /// Text safe in HTML content and in quoted attributes (`&`, `<`, `>`, `"` and `'` escaped).
    public static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// An amount in đồng with thousands separators: `1.234.567 ₫` in Vietnamese, `1,234,567 ₫` in
    /// English (a no-break space before the sign; `-` before negative amounts).
    public static func vnd(_ amount: Int64, language: WorkbenchLanguage) -> String {
        grouped(amount, language: language) + "\u{00A0}₫"
    }

    /// An integer with the thousands separator of `language` (`.` in Vietnamese, `,` in English).
    public static func grouped(_ number: Int64, language: WorkbenchLanguage) -> String {
        let separator: Character = language == .vi ? "." : ","
        let digits = String(number.magnitude)
        var grouped = number < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(separator) }
            grouped.append(digit)
        }
        return grouped
    }

    /// An integer count with the thousands separator of `language`.
    public static func count(_ number: Int, language: WorkbenchLanguage) -> String {
        grouped(Int64(number), language: language)
    }

    /// An instant in Vietnam time (UTC+07:00), `dd/MM/yyyy HH:mm` and labelled:
    /// `01/12/2026 13:19 (giờ VN)` in Vietnamese, `01/12/2026 13:19 (ICT)` in English.
    public static func vietnamTime(_ time: Timestamp, language: WorkbenchLanguage) -> String {
        let civil = time.civilTime(offset: Timestamp.vietnamOffset)
        let date = "\(padded(civil.day, 2))/\(padded(civil.month, 2))/\(padded(civil.year, 4))"
        let clock = "\(padded(civil.hour, 2)):\(padded(civil.minute, 2))"
        return "\(date) \(clock) " + (language == .vi ? "(giờ VN)" : "(ICT)")
    }

    /// The instant as a `<time>` element: Vietnam time as text, the UTC instant in `datetime`.
    public static func timeElement(_ time: Timestamp, language: WorkbenchLanguage) -> String {
        "<time datetime=\"\(time.iso8601)\">\(vietnamTime(time, language: language))</time>"
    }

    /// Percent-encoding of everything but the unreserved characters of RFC 3986.
    public static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `name=value&…`, percent-encoded.
    public static func queryString(_ parameters: [(name: String, value: String)]) -> String {
        parameters.map { "\(percentEncoded($0.name))=\(percentEncoded($0.value))" }.joined(separator: "&")
    }

    /// `path` with `parameters` as its query (`path` alone when there are none).
    public static func url(_ path: String, _ parameters: [(name: String, value: String)]) -> String {
        parameters.isEmpty ? path : path + "?" + queryString(parameters)
    }

    /// A link to `path` with `parameters`, its text and URL escaped; `attributes` (already markup) are
    /// added to the element.
    public static func link(
        _ text: String,
        _ path: String,
        _ parameters: [(name: String, value: String)] = [],
        attributes: String = ""
    ) -> String {
        "<a href=\"\(html(url(path, parameters)))\"\(attributes.isEmpty ? "" : " " + attributes)>\(html(text))</a>"
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
