import Testing

@testable import TaxLinkCore

@Suite("VND parsing")
struct VNDTests {
    @Test(
        "valid amounts parse exactly",
        arguments: [
            (JSONValue.number("150000"), Int64(150000)), (.number("150000.0"), 150000), (.string("150000.00"), 150000),
            (.number("1.5e5"), 150000), (.number("0"), 0), (.string("0.000"), 0), (.number("1500E+2"), 150000),
            (.number("1000000000000000"), VND.maximumMagnitude), (.string("1e15"), VND.maximumMagnitude),
        ])
    func valid(value: JSONValue, expected: Int64) throws {
        #expect(try VND.parse(value) == expected)
    }

    @Test(
        "invalid amounts are refused",
        arguments: [
            JSONValue.string("150000.5"), .number("-1"), .string("abc"), .string(""), .string("1,000"),
            .number("1.5e-1"), .string(" 100"), .bool(true), .null, .number("9223372036854775808"), .string("1e400"),
            .number("9223372036854775807"), .number("1000000000000001"), .string("1.000000000000001e15"),
            .string("."), .string("12."), .string("-0.5"),
        ])
    func invalid(value: JSONValue) {
        #expect(throws: VND.ParseError.self) { try VND.parse(value) }
    }

    @Test func signedLedgerAmounts() throws {
        #expect(try VND.parseSigned("-121824.00") == -121824)
        #expect(throws: VND.ParseError.self) { try VND.parseSigned("-0.50") }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: VND.ParseError.fractional("150000.5")) { try VND.parse("150000.5") }
        #expect(throws: VND.ParseError.negative("-1")) { try VND.parse("-1") }
        #expect(throws: VND.ParseError.notANumber("abc")) { try VND.parse("abc") }
    }
}
