import TaxLinkAdapters
import TaxLinkCore
import Testing

/// A rejection repeats a hostile value back only as a bounded, printable excerpt: a 10 MB order id or
/// a number literal of a million digits must not make the answer (or the stored rejection) as large.
@Suite("Rejections echo bounded excerpts")
struct RejectionEchoTests {
    @Test func aHugeOrderIDIsEchoedAsABoundedExcerpt() throws {
        let huge = String(repeating: "9", count: 10_000_000)
        let text = AmountCeilingTests.shopee([(#""order_sn": "2601090ABC""#, #""order_sn": "\#(huge)""#)])
        let rejection = try #require(try adapt(ShopeeOrdersAdapter(), text, platform: "shopee").rejection)
        let echoed = try #require(rejection.externalID)
        #expect(echoed.unicodeScalars.count <= RecordLimits.maximumIdentifierLength + 1)
        #expect(echoed.hasSuffix("…"))
        #expect(rejection.reason.unicodeScalars.count <= RecordLimits.maximumEchoLength + 1)
    }

    @Test func aMillionDigitAmountIsNotRepeatedWhole() throws {
        let digits = String(repeating: "7", count: 1_000_000)
        let text = AmountCeilingTests.shopee([(#""coins": 5000"#, #""coins": "\#(digits)x""#)])
        let rejection = try #require(try adapt(ShopeeOrdersAdapter(), text, platform: "shopee").rejection)
        #expect(rejection.reason.unicodeScalars.count <= RecordLimits.maximumEchoLength + 1)
    }

    @Test func controlCharactersInAnEchoedIDAreWrittenAsCodePoints() {
        let rejection = Rejection(position: .line(3), externalID: "A\u{0}B\nC", reason: "bad\r\nreason")
        #expect(rejection.externalID == "AU+0000BU+000AC")
        #expect(rejection.reason == "badU+000DU+000Areason")
    }
}
