import Testing

@testable import TaxLinkCore

@Suite("JSON")
struct JSONTests {
    @Test func numbersStayLiterals() throws {
        let value = try JSONParser.parse(Array(#"{"a": 150000.0, "b": [1e5, -0.5]}"#.utf8))
        #expect(value["a"] == .number("150000.0"))
        #expect(value["b"] == .array([.number("1e5"), .number("-0.5")]))
    }

    @Test(
        "malformed documents are refused",
        arguments: [#"{"a": }"#, #"{"a": 1,}"#, "[01]", #""\ud800""#, "{} x", "", "{\"a\": \"\u{01}\"}", "nul"])
    func malformed(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func deepNestingIsRefused() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func canonicalRoundTripKeepsOrderAndEscapes() throws {
        let text = #"{"z":"Hộ \"kinh\" doanh\n","a":[true,null,12]}"#
        #expect(CanonicalJSON.string(try JSONParser.parse(Array(text.utf8))) == text)
        #expect(CanonicalJSON.string(try JSONParser.parse(Array(#"{"e":"\u00e9\/"}"#.utf8))) == #"{"e":"é/"}"#)
    }
}
