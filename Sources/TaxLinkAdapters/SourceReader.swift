import TaxLinkCore

/// Why one item of a feed could not be read.
public struct ItemError: Error {
    public var reason: String
    public var code: DiscrepancyCode?
}

extension ItemError {
    /// A value beyond the record's limits: `AMOUNT_INVALID` for an amount, a malformed item otherwise.
    init(_ limit: RecordLimitError) {
        self.init(reason: limit.message, code: limit.isAmount ? .amountInvalid : nil)
    }
}

/// Reads the fields of one source object, naming the field's path in every error.
///
/// Money goes through ``VND`` (exact, never `Double`); a bad amount is `AMOUNT_INVALID`, anything
/// else a malformed item.
public struct SourceReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func malformed(_ key: String, _ message: String) -> ItemError {
        ItemError(reason: "\(name(key)): \(message)")
    }

    private func present(_ key: String) -> JSONValue? {
        guard let field = value[key], !field.isNull else { return nil }
        return field
    }

    /// A nested object.
    func object(_ key: String) throws(ItemError) -> SourceReader {
        guard let field = present(key) else { throw malformed(key, "missing") }
        guard case .object = field else { throw malformed(key, "expected an object, found \(field.typeName)") }
        return SourceReader(field, path: name(key))
    }

    /// The elements of an array, each with its path.
    func array(_ key: String) throws(ItemError) -> [SourceReader] {
        guard let field = present(key) else { throw malformed(key, "missing") }
        guard let elements = field.arrayValue else { throw malformed(key, "expected an array, found \(field.typeName)") }
        return elements.enumerated().map { SourceReader($1, path: "\(name(key))[\($0)]") }
    }

    /// The elements of an array, or none when the field is absent or null.
    func optionalArray(_ key: String) throws(ItemError) -> [SourceReader] {
        present(key) == nil ? [] : try array(key)
    }

    /// A string (an identifier may also be written as an integer number).
    func string(_ key: String) throws(ItemError) -> String {
        guard let text = try optionalString(key) else { throw malformed(key, "missing") }
        return text
    }

    /// A non-empty identifier, written as a string or an integer, within ``RecordLimits``.
    func identifier(_ key: String) throws(ItemError) -> String {
        let text = try string(key).trimmingWhitespace()
        guard !text.isEmpty else { throw malformed(key, "is empty") }
        return try limited(text, key, RecordLimits.checkIdentifier)
    }

    /// A string within the identifier limits of ``RecordLimits`` (a status); absent is an error.
    func boundedString(_ key: String) throws(ItemError) -> String {
        try limited(try string(key), key, RecordLimits.checkIdentifier)
    }

    /// An identifier (a SKU, a tax id) or `nil` when absent, within ``RecordLimits``.
    func optionalIdentifier(_ key: String) throws(ItemError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        return try limited(text, key, RecordLimits.checkIdentifier)
    }

    /// A name (seller, shop, item) or `nil` when absent, within ``RecordLimits``.
    func optionalName(_ key: String) throws(ItemError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        return try limited(text, key, RecordLimits.checkName)
    }

    private func limited(
        _ text: String, _ key: String, _ check: (String, String) throws(RecordLimitError) -> Void
    ) throws(ItemError) -> String {
        do {
            try check(text, name(key))
        } catch {
            throw ItemError(error)
        }
        return text
    }

    /// A string, or `nil` when absent or null.
    func optionalString(_ key: String) throws(ItemError) -> String? {
        switch present(key) {
        case nil: return nil
        case .string(let text): return text
        case .number(let literal) where !literal.contains(where: { ".eE-".contains($0) }): return literal
        case let other?: throw malformed(key, "expected a string, found \(other.typeName)")
        }
    }

    /// A boolean; absent or null is `defaultValue`.
    func bool(_ key: String, default defaultValue: Bool = false) throws(ItemError) -> Bool {
        switch present(key) {
        case nil: return defaultValue
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        case let other?: throw malformed(key, "expected true or false, found \(other.typeName)")
        }
    }

    /// A non-negative amount in đồng (number or decimal string). Absent is an error.
    func money(_ key: String) throws(ItemError) -> Int64 {
        guard let field = present(key) else { throw malformed(key, "missing") }
        do {
            return try VND.parse(field)
        } catch {
            throw ItemError(reason: "\(name(key)): \(error)", code: .amountInvalid)
        }
    }

    /// A non-negative amount in đồng; absent or null is 0.
    func optionalMoney(_ key: String) throws(ItemError) -> Int64 {
        present(key) == nil ? 0 : try money(key)
    }

    /// A signed amount (ledger rows, net declaration figures); absent or null is 0, or an error when
    /// `required`. Fractions and non-numbers are invalid.
    func signedMoney(_ key: String, required: Bool = false) throws(ItemError) -> Int64 {
        guard let field = present(key) else {
            if required { throw malformed(key, "missing") }
            return 0
        }
        do {
            switch field {
            case .number(let literal), .string(let literal): return try VND.parseSigned(literal)
            default: throw VND.ParseError.wrongType(field.typeName)
            }
        } catch {
            throw ItemError(reason: "\(name(key)): \(error)", code: .amountInvalid)
        }
    }

    /// A whole count ≥ 1.
    func quantity(_ key: String) throws(ItemError) -> Int64 {
        guard let field = present(key) else { throw malformed(key, "missing") }
        let count: Int64
        do {
            count = try VND.parse(field)
        } catch {
            throw malformed(key, "expected a whole quantity: \(error)")
        }
        guard count >= 1 else { throw malformed(key, "quantity must be at least 1") }
        return count
    }

    /// Unix seconds (a number or a numeric string).
    func unixTime(_ key: String) throws(ItemError) -> Timestamp {
        guard let field = present(key) else { throw malformed(key, "missing") }
        switch field {
        case .number(let literal), .string(let literal):
            guard let seconds = try? VND.parse(literal), seconds < 253_402_300_800 else {
                throw malformed(key, "expected Unix seconds, found '\(literal)'")
            }
            return Timestamp(unixSeconds: seconds)
        default:
            throw malformed(key, "expected Unix seconds, found \(field.typeName)")
        }
    }

    /// An ISO 8601 time with a zone, or Lazada's `yyyy-MM-dd HH:mm:ss ±hhmm`.
    func isoTime(_ key: String) throws(ItemError) -> Timestamp {
        let text = try string(key)
        guard let instant = Timestamp.parseISO8601(text.trimmingWhitespace()) else {
            throw malformed(key, "expected a time with a zone offset, found '\(text)'")
        }
        return instant
    }
}

extension Array where Element == Int64 {
    /// The sum, or an amount error when it leaves ±``TaxLinkCore/VND/maximumMagnitude``.
    func checkedSum(_ what: String) throws(ItemError) -> Int64 {
        guard let total = VND.sum(self) else {
            throw ItemError(
                reason: "\(what): the sum is beyond the ceiling of \(VND.ceilingDescription)", code: .amountInvalid)
        }
        return total
    }
}
