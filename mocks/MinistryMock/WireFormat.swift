import TaxLinkCore

/// Strict readers of the wire forms the intake accepts.
enum WireFormat {
    /// `YYYY-MM-DDThh:mm:ssZ` exactly: UTC, whole seconds, a real calendar date.
    static func utcTime(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20 else { return nil }
        for (byte, expected) in zip(bytes, utcShape) {
            if expected == UInt8(ascii: "d") {
                guard isDigit(byte) else { return nil }
            } else if byte != expected {
                return nil
            }
        }
        func number(_ range: Range<Int>) -> Int {
            bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        let civil = CivilTime(
            year: number(0..<4),
            month: number(5..<7),
            day: number(8..<10),
            hour: number(11..<13),
            minute: number(14..<16),
            second: number(17..<19)
        )
        guard civil.second <= 59 else { return nil }
        return Timestamp(civil, offset: 0)
    }

    private static let utcShape = Array("dddd-dd-ddTdd:dd:ddZ".utf8)

    /// The value of an integer literal (`-`? digits, no fraction or exponent), or `nil`.
    static func integer(_ value: JSONValue) -> Int64? {
        guard case .number(let literal) = value else { return nil }
        return Int64(literal)
    }

    /// Whether `text` is a valid tax code, `NNNNNNNNNN` or `NNNNNNNNNN-BBB` with `BBB` ≠ `000`.
    static func isValidTaxCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.count == 10 { return TaxCode.isValid(text) }
        guard bytes.count == 14, bytes[10] == UInt8(ascii: "-") else { return false }
        let branch = bytes[11...]
        guard branch.allSatisfy(isDigit), branch.contains(where: { $0 != UInt8(ascii: "0") }) else { return false }
        return TaxCode.isValid(String(decoding: bytes[..<10], as: UTF8.self))
    }

    /// Exactly twelve ASCII digits.
    static func isNationalID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy(isDigit)
    }

    /// A batch id: 1 to 64 characters of `[A-Za-z0-9_-]`.
    static func isBatchID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                isDigit(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// The JSON type a schema field must have.
enum FieldType: CustomStringConvertible {
    case string
    case nullableString
    case number
    case boolean
    case object
    case array

    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.nullableString, .string), (.nullableString, .null), (.number, .number),
            (.boolean, .bool), (.object, .object), (.array, .array):
            true
        default: false
        }
    }

    var description: String {
        switch self {
        case .string: "a string"
        case .nullableString: "a string or null"
        case .number: "a number"
        case .boolean: "a boolean"
        case .object: "an object"
        case .array: "an array"
        }
    }
}

/// The members an object of the schema has, and their types.
struct ObjectSchema: ExpressibleByDictionaryLiteral, Sendable {
    /// The member names, in schema order.
    let names: [String]
    let types: [String: FieldType]

    init(dictionaryLiteral elements: (String, FieldType)...) {
        names = elements.map(\.0)
        types = Dictionary(elements, uniquingKeysWith: { first, _ in first })
    }
}

/// Checks that an object has exactly the members of a schema, each of the right type.
///
/// - Returns: `nil` when it does, else what is wrong, naming the member by `path`.
func schemaViolation(of value: JSONValue, at path: String, fields: ObjectSchema) -> String? {
    guard case .object(let object) = value else { return "\(path) must be an object, found \(value.typeName)" }
    var seen = Set<String>(minimumCapacity: object.members.count)
    for member in object.members {
        guard seen.insert(member.key).inserted else { return "\(path).\(member.key) appears twice" }
        guard let type = fields.types[member.key] else {
            return "\(path) has the member \"\(member.key)\", which the schema does not have"
        }
        guard type.matches(member.value) else {
            return "\(path).\(member.key) must be \(type), found \(member.value.typeName)"
        }
    }
    if seen.count != fields.names.count, let missing = fields.names.first(where: { !seen.contains($0) }) {
        return "\(path).\(missing) is missing"
    }
    return nil
}
