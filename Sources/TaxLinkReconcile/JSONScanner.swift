import TaxLinkCore

/// A forward-only reader of JSON bytes that builds no tree: the reconciler reads a million stored records
/// and keeps only a handful of fields of each.
///
/// It accepts what ``TaxLinkCore/CanonicalJSON`` writes (and white space between tokens); anything else
/// ends in a ``ReconcileError``.
struct JSONScanner {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private func failure(_ message: String) -> ReconcileError {
        .corruptRecord("\(message) at byte \(index)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func peek() throws(ReconcileError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end") }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws(ReconcileError) {
        guard try peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// Calls `body` with each member name of the object that starts here; `body` must consume the value.
    mutating func forEachMember(_ body: (inout JSONScanner, Key) throws(ReconcileError) -> Void) throws(ReconcileError) {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            try expect(UInt8(ascii: "\""))
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                index += 1
            }
            guard index < bytes.count else { throw failure("unterminated name") }
            let key = Key(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            index += 1
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or '}'") }
        }
    }

    /// Calls `body` for each element of the array that starts here; `body` must consume the element.
    mutating func forEachElement(_ body: (inout JSONScanner) throws(ReconcileError) -> Void) throws(ReconcileError) {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try body(&self)
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']'") }
        }
    }

    /// An integer.
    mutating func integer() throws(ReconcileError) -> Int64 {
        var negative = false
        if try peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw failure("integer out of range") }
            value = shifted + Int64(bytes[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        guard digits > 0 else { throw failure("expected an integer") }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw failure("expected an integer")
        }
        return negative ? -value : value
    }

    /// `true` or `false`.
    mutating func bool() throws(ReconcileError) -> Bool {
        if try literal("true") { return true }
        if try literal("false") { return false }
        throw failure("expected a boolean")
    }

    /// A string, or `nil` for `null`.
    mutating func optionalString() throws(ReconcileError) -> String? {
        if try literal("null") { return nil }
        return try string()
    }

    /// A string (escapes decoded).
    mutating func string() throws(ReconcileError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        var escaped = false
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                escaped = true
                index += 1
            }
            index += 1
        }
        guard index < bytes.count else { throw failure("unterminated string") }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        index += 1
        if !escaped { return String(decoding: raw, as: UTF8.self) }
        // Rare: let the strict parser decode the escapes.
        guard let text = try? JSONParser.parse([UInt8(ascii: "\"")] + Array(raw) + [UInt8(ascii: "\"")]).stringValue
        else { throw failure("bad escape") }
        return text
    }

    /// Skips one value of any type.
    mutating func skipValue() throws(ReconcileError) {
        switch try peek() {
        case UInt8(ascii: "{"): try forEachMember { (scanner, _) throws(ReconcileError) in try scanner.skipValue() }
        case UInt8(ascii: "["): try forEachElement { (scanner) throws(ReconcileError) in try scanner.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        default:
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return
                default: index += 1
                }
            }
        }
    }

    private mutating func literal(_ text: StaticString) throws(ReconcileError) -> Bool {
        _ = try peek()
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = text.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        if matches { index += count }
        return matches
    }

    /// A member name, compared without allocating.
    struct Key {
        let bytes: UnsafeRawBufferPointer

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            pattern.withUTF8Buffer { expected in
                expected.count == key.bytes.count && expected.elementsEqual(key.bytes)
            }
        }
    }
}
