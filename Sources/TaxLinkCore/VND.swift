/// Exact parsing of Vietnamese đồng amounts.
///
/// The đồng has no minor unit, so an amount is a whole number of đồng held in an `Int64`.
/// Sources write amounts as JSON numbers (`150000`, `150000.0`, `1.5e5`) or decimal strings
/// (`"150000.00"`); both are read digit by digit, never through `Double`.
///
/// Every amount read from outside, and every sum or product formed from such amounts, stays within
/// ±``maximumMagnitude`` (10¹⁵ đồng, far above any real order): anything beyond is refused, so
/// nothing downstream can overflow. See `VND+Arithmetic.swift` for the checked sums.
public enum VND {
    /// The largest magnitude of any amount, or any sum an adapter forms: 10¹⁵ đồng.
    public static let maximumMagnitude: Int64 = 1_000_000_000_000_000

    /// The ceiling as people read it, for messages.
    public static let ceilingDescription = "±10^15 đồng"

    /// Why an amount could not be read.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case notANumber(String)
        case fractional(String)
        case negative(String)
        case outOfRange(String)
        case wrongType(String)

        public var description: String {
            switch self {
            case .notANumber(let text): "'\(text)' is not a number"
            case .fractional(let text): "\(text) has a fraction of a đồng"
            case .negative(let text): "\(text) is negative"
            case .outOfRange(let text): "\(text) is beyond the ceiling of \(VND.ceilingDescription)"
            case .wrongType(let type): "expected an amount, found \(type)"
            }
        }
    }

    /// Parses a JSON number or decimal string as a whole, non-negative number of đồng.
    public static func parse(_ value: JSONValue) throws(ParseError) -> Int64 {
        switch value {
        case .number(let literal), .string(let literal): return try parse(literal)
        default: throw .wrongType(value.typeName)
        }
    }

    /// Parses decimal text (optional sign, digits, optional fraction, optional exponent).
    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        let value = try parseSigned(text)
        guard value >= 0 else { throw .negative(text) }
        return value
    }

    /// Parses decimal text that may be negative (ledger rows carry signed amounts). The magnitude may not
    /// pass ``maximumMagnitude``.
    public static func parseSigned(_ text: String) throws(ParseError) -> Int64 {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var exponent = 0
        var seenPoint = false
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if seenPoint { fractionDigits.append(byte) } else { integerDigits.append(byte) }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                exponent = try parseExponent(bytes[(position + 1)...], text: text)
                break
            } else {
                throw .notANumber(text)
            }
            position += 1
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { throw .notANumber(text) }
        if seenPoint, fractionDigits.isEmpty || integerDigits.isEmpty { throw .notANumber(text) }
        // Shift the decimal point by the exponent.
        var digits = integerDigits + fractionDigits
        var pointPosition = integerDigits.count + exponent
        if pointPosition < 0 {
            digits = Array(repeating: UInt8(ascii: "0"), count: -pointPosition) + digits
            pointPosition = 0
        }
        if pointPosition > digits.count {
            guard pointPosition - digits.count <= 40 else { throw .outOfRange(text) }
            digits += Array(repeating: UInt8(ascii: "0"), count: pointPosition - digits.count)
        }
        guard digits[pointPosition...].allSatisfy({ $0 == UInt8(ascii: "0") }) else { throw .fractional(text) }
        var magnitude: Int64 = 0
        for digit in digits[..<pointPosition] {
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2, sum <= maximumMagnitude else { throw .outOfRange(text) }
            magnitude = sum
        }
        return negative ? -magnitude : magnitude
    }

    private static func parseExponent(_ bytes: ArraySlice<UInt8>, text: String) throws(ParseError) -> Int {
        var rest = bytes
        var negative = false
        if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.count <= 4 else { throw rest.isEmpty ? .notANumber(text) : .outOfRange(text) }
        var value = 0
        for byte in rest {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw .notANumber(text) }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }
}
