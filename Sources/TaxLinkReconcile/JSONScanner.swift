import Foundation
import TaxLinkCore

/// A forward-only reader of JSON bytes that builds no tree: the reconciler reads a million stored records
/// and keeps only a handful of fields of each.
///
/// Objects and arrays are walked with ``nextMember()`` and ``nextElement()`` after ``beginObject()`` and
/// ``beginArray()``; a value that is not wanted is passed over with ``skipValue()``. It accepts what
/// ``TaxLinkCore/CanonicalJSON`` writes (and white space between tokens); anything else ends in a
/// ``ReconcileError``.
struct JSONScanner {
    private let base: UnsafePointer<UInt8>?
    private let count: Int
    private var index = 0
    /// Whether the container being walked has yielded its first entry.
    private var started = false

    /// A scanner over `bytes`, which must outlive it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        base = bytes.baseAddress
        count = bytes.count
    }

    private func failure(_ message: String) -> ReconcileError {
        .corruptRecord("\(message) at byte \(index)")
    }

    @inline(__always)
    private func byte(_ position: Int) -> UInt8 { base.unsafelyUnwrapped[position] }

    @inline(__always)
    private mutating func peek() throws(ReconcileError) -> UInt8 {
        while index < count {
            switch byte(index) {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return byte(index)
            }
        }
        throw failure("unexpected end")
    }

    @inline(__always)
    private mutating func expect(_ expected: UInt8) throws(ReconcileError) {
        guard try peek() == expected else { throw failure("expected '\(Character(Unicode.Scalar(expected)))'") }
        index += 1
    }

    /// Enters the object that starts here.
    mutating func beginObject() throws(ReconcileError) {
        try expect(UInt8(ascii: "{"))
        started = false
    }

    /// The next member's name, positioned at its value (which must then be read or skipped), or `nil` at
    /// the end of the object. Nested containers must be walked to their end before this is called again.
    mutating func nextMember() throws(ReconcileError) -> Key? {
        var next = try peek()
        if next == UInt8(ascii: "}") {
            index += 1
            started = true
            return nil
        }
        if started {
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or '}'") }
            index += 1
            next = try peek()
        }
        started = true
        let key = try stringKey()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Enters the array that starts here.
    mutating func beginArray() throws(ReconcileError) {
        try expect(UInt8(ascii: "["))
        started = false
    }

    /// Whether another element follows (positioned at it), `false` at the end of the array.
    mutating func nextElement() throws(ReconcileError) -> Bool {
        let next = try peek()
        if next == UInt8(ascii: "]") {
            index += 1
            started = true
            return false
        }
        if started {
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']'") }
            index += 1
        }
        started = true
        return true
    }

    /// An integer.
    mutating func integer() throws(ReconcileError) -> Int64 {
        var negative = false
        if try peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value: Int64 = 0
        let start = index
        while index < count, byte(index) >= UInt8(ascii: "0"), byte(index) <= UInt8(ascii: "9") {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(Int64(byte(index) - UInt8(ascii: "0")))
            guard !overflow, !carry else { throw failure("integer out of range") }
            value = sum
            index += 1
        }
        guard index > start else { throw failure("expected an integer") }
        if index < count, byte(index) == UInt8(ascii: ".") || byte(index) | 0x20 == UInt8(ascii: "e") {
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
        let raw = try stringBytes()
        let escaped = raw.count > 0 && memchr(raw.baseAddress.unsafelyUnwrapped, 0x5C, raw.count) != nil
        if !escaped { return String(decoding: raw, as: UTF8.self) }
        // Rare: let the strict parser decode the escapes.
        guard let text = try? JSONParser.parse([UInt8(ascii: "\"")] + Array(raw) + [UInt8(ascii: "\"")]).stringValue
        else { throw failure("bad escape") }
        return text
    }

    /// A string's bytes as written, for matching against known values without allocating.
    mutating func stringKey() throws(ReconcileError) -> Key {
        Key(bytes: try stringBytes())
    }

    /// The bytes between the quotes of the string that starts here, escapes left as written.
    private mutating func stringBytes() throws(ReconcileError) -> UnsafeBufferPointer<UInt8> {
        try expect(UInt8(ascii: "\""))
        let start = index
        while true {
            guard index < count, let found = memchr(base.unsafelyUnwrapped + index, 0x22, count - index) else {
                throw failure("unterminated string")
            }
            let quote = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base.unsafelyUnwrapped
            // A quote preceded by an odd number of backslashes is escaped.
            var backslashes = 0
            while quote - backslashes - 1 >= start, byte(quote - backslashes - 1) == UInt8(ascii: "\\") {
                backslashes += 1
            }
            index = quote + 1
            if backslashes % 2 == 0 { break }
        }
        return UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: index - 1 - start)
    }

    /// Skips one value of any type.
    mutating func skipValue() throws(ReconcileError) {
        switch try peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextMember() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""): _ = try stringBytes()
        default:
            while index < count {
                switch byte(index) {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return
                default: index += 1
                }
            }
        }
    }

    private mutating func literal(_ text: StaticString) throws(ReconcileError) -> Bool {
        _ = try peek()
        let length = text.utf8CodeUnitCount
        guard index + length <= count, memcmp(text.utf8Start, base.unsafelyUnwrapped + index, length) == 0 else {
            return false
        }
        index += length
        return true
    }

    /// A member name or string value, compared without allocating.
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            let count = pattern.utf8CodeUnitCount
            guard count == key.bytes.count else { return false }
            guard count > 0, let base = key.bytes.baseAddress else { return true }
            return memcmp(pattern.utf8Start, base, count) == 0
        }

        /// The bytes as text, for error messages.
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }
}
