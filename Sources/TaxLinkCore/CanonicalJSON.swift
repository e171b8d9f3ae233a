/// Writes ``JSONValue``s in the canonical form used on the wire and in the store.
///
/// Members are written in the order given (the schema's order), with no white space,
/// numbers as their literal text and strings escaped minimally (`"`, `\`, control characters).
/// The same value always gives the same bytes.
public enum CanonicalJSON {
    /// The UTF-8 bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        write(value, to: &output)
        return output
    }

    /// The text of `value`.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    /// Appends the encoding of `value` to `output`.
    public static func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let literal): output.append(contentsOf: literal.utf8)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output.append(contentsOf: utf8)
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends canonical JSON piece by piece, for encoders that know their shape (a record) and
    /// need no ``JSONValue`` tree: the same bytes as ``CanonicalJSON/encode(_:)`` of that tree.
    struct Writer {
        /// The bytes written so far.
        private(set) var output: [UInt8] = []

        init(capacity: Int) {
            output.reserveCapacity(capacity)
        }

        /// Appends `text` as it is: punctuation and member names that need no escaping.
        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { output.append(contentsOf: $0) }
        }

        /// Appends a string, escaped.
        mutating func string(_ text: String) {
            CanonicalJSON.writeString(text, to: &output)
        }

        /// Appends a string, or `null` when absent.
        mutating func optional(_ text: String?) {
            if let text { string(text) } else { raw("null") }
        }

        /// Appends an integer as `String(value)` writes it.
        mutating func integer(_ value: Int64) {
            if value < 0 { output.append(UInt8(ascii: "-")) }
            let magnitude = value.magnitude
            var divisor: UInt64 = 1
            while magnitude / divisor >= 10 { divisor *= 10 }
            var rest = magnitude
            while divisor > 0 {
                output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }

        /// Appends a non-negative `value` with leading zeros to `width` digits (`pad` in `Timestamp`).
        mutating func digits(_ value: Int, width: Int) {
            var divisor = 1
            var needed = 1
            while needed < width || value / divisor >= 10 {
                divisor *= 10
                needed += 1
            }
            var rest = value
            while divisor > 0 {
                output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }

        /// Appends a time as its quoted ``Timestamp/iso8601``.
        mutating func timestamp(_ instant: Timestamp) {
            guard instant.isSupported else { return string(instant.iso8601) }
            let civil = instant.civilTime(offset: 0)
            output.append(UInt8(ascii: "\""))
            digits(civil.year, width: 4)
            output.append(UInt8(ascii: "-"))
            digits(civil.month, width: 2)
            output.append(UInt8(ascii: "-"))
            digits(civil.day, width: 2)
            output.append(UInt8(ascii: "T"))
            digits(civil.hour, width: 2)
            output.append(UInt8(ascii: ":"))
            digits(civil.minute, width: 2)
            output.append(UInt8(ascii: ":"))
            digits(civil.second, width: 2)
            output.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
        }
    }
}
