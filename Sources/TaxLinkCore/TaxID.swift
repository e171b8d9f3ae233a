/// A seller's tax identity after normalisation of what a source sent.
///
/// Vietnamese sellers are identified by a tax code (`mã số thuế`: ten digits, or thirteen for a
/// branch, written `NNNNNNNNNN-BBB`) or, for individuals, by a twelve-digit personal id.
public enum TaxIdentity: Sendable, Hashable {
    /// The source gave nothing (absent, `null` or blank).
    case missing
    /// A valid tax code, normalised (`0312345673` or `0312345673-001`).
    case taxCode(String)
    /// A twelve-digit personal identification number.
    case nationalID(String)
    /// Something that is neither, kept as given.
    case invalid(String)

    /// Normalises a tax id as sent: separators (space, `-`, `.`) are dropped, then ten digits are a
    /// tax code, thirteen a branch tax code, twelve a personal id; anything else is invalid.
    public init(raw: String?) {
        guard let raw else {
            self = .missing
            return
        }
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            self = .missing
            return
        }
        // Drop the separators a person may type; what is left must be ASCII digits.
        let digits = trimmed.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ".") }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            self = .invalid(trimmed)
            return
        }
        let compact = String(decoding: digits, as: UTF8.self)
        switch compact.count {
        case 10 where TaxCode.isValid(compact):
            self = .taxCode(compact)
        case 13 where TaxCode.isValid(String(compact.prefix(10))) && compact.suffix(3) != "000":
            self = .taxCode("\(compact.prefix(10))-\(compact.suffix(3))")
        case 12:
            self = .nationalID(compact)
        default:
            self = .invalid(trimmed)
        }
    }

    /// The value for `seller.tax_code`.
    public var taxCode: String? {
        switch self {
        case .taxCode(let code), .invalid(let code): code
        case .missing, .nationalID: nil
        }
    }

    /// The value for `seller.national_id`.
    public var nationalID: String? {
        if case .nationalID(let id) = self { return id }
        return nil
    }

    /// The identity rebuilt from a record's seller fields.
    public init(taxCode: String?, nationalID: String?) {
        if let nationalID {
            self = .nationalID(nationalID)
        } else if let taxCode {
            let parsed = TaxIdentity(raw: taxCode)
            self = parsed == .taxCode(taxCode) ? parsed : .invalid(taxCode)
        } else {
            self = .missing
        }
    }

    /// The normalised id as one string (tax code or personal id), `nil` when missing.
    public var normalized: String? {
        switch self {
        case .missing: nil
        case .taxCode(let value), .nationalID(let value), .invalid(let value): value
        }
    }

    /// The id with all but its last three characters masked, for logs.
    public var masked: String {
        guard let value = normalized else { return "-" }
        return String(repeating: "*", count: max(0, value.count - 3)) + value.suffix(3)
    }
}

/// The check-digit rule of Vietnamese tax codes.
public enum TaxCode {
    private static let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

    /// Whether ten ASCII digits form a valid tax code: digits 3–9 are not all zero and the tenth
    /// digit equals 10 − (Σ wᵢ·dᵢ mod 11) with the weights 31, 29, 23, 19, 17, 13, 7, 5, 3.
    public static func isValid(_ code: String) -> Bool {
        let digits = code.utf8.map { Int($0) - Int(UInt8(ascii: "0")) }
        guard digits.count == 10, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        guard digits[2...8].contains(where: { $0 != 0 }) else { return false }
        let sum = zip(weights, digits).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 10 - sum % 11
        return check < 10 && check == digits[9]
    }
}

extension String {
    /// The string without leading and trailing white space.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
