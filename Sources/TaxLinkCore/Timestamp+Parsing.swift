extension Timestamp {
    /// Parses ISO 8601 / RFC 3339 date-times with an explicit zone: `2026-01-09T10:15:00+07:00`,
    /// `2026-01-09T03:15:00Z`, `2026-01-09 10:15:00 +0700` (Lazada's form). A fractional second is
    /// accepted and dropped. Returns `nil` for anything else, including times without a zone.
    public static func parseISO8601(_ text: String) -> Timestamp? {
        var scanner = DigitScanner(text)
        guard let year = scanner.digits(4), scanner.skip("-"),
            let month = scanner.digits(2), scanner.skip("-"),
            let day = scanner.digits(2)
        else { return nil }
        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" ") else { return nil }
        guard let hour = scanner.digits(2), scanner.skip(":"),
            let minute = scanner.digits(2), scanner.skip(":"),
            let second = scanner.digits(2)
        else { return nil }
        if scanner.skip(".") {
            guard scanner.skipDigits() else { return nil }
        }
        _ = scanner.skip(" ")
        let offset: Int64
        if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else if let sign = scanner.sign(), let hours = scanner.digits(2) {
            _ = scanner.skip(":")
            guard let minutes = scanner.digits(2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * Int64(hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        return Timestamp(
            CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second),
            offset: offset
        )
    }

    /// Parses `yyyyMMddHHmmss` as a local time `offset` seconds east of UTC (VNPay's `vnp_PayDate`).
    public static func parseCompact(_ text: String, offset: Int64) -> Timestamp? {
        var scanner = DigitScanner(text)
        guard let year = scanner.digits(4), let month = scanner.digits(2), let day = scanner.digits(2),
            let hour = scanner.digits(2), let minute = scanner.digits(2), let second = scanner.digits(2),
            scanner.atEnd
        else { return nil }
        return Timestamp(
            CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second),
            offset: offset
        )
    }
}

private struct DigitScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var atEnd: Bool { position == bytes.count }

    mutating func digits(_ count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[position + offset]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        position += count
        return value
    }

    mutating func skipDigits() -> Bool {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        return position > start
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(character.value) else { return false }
        position += 1
        return true
    }

    mutating func sign() -> Int64? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
