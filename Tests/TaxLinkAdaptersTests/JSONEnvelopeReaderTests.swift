import TaxLinkAdapters
import TaxLinkCore
import Testing

@Suite("JSON envelope reader")
struct JSONEnvelopeReaderTests {
    /// Every item of `text` as its index and JSON text (or its size when too large).
    static func items(_ text: String, maximumItemBytes: Int = 1 << 20) throws(FeedError) -> [String] {
        var reader = try JSONEnvelopeReader(body: Array(text.utf8), key: "orders", maximumItemBytes: maximumItemBytes)
        var items: [String] = []
        while let item = try reader.next() {
            switch item.content {
            case .bytes(let bytes): items.append("\(item.index):\(String(decoding: bytes, as: UTF8.self))")
            case .tooLarge(let size, _): items.append("\(item.index):\(size) bytes")
            }
        }
        return items
    }

    @Test func itemsComeOneByOneWithTheirIndex() throws {
        let text = #" { "meta": {"n": [1, "]"]}, "orders" : [ {"a": "}\"{"}, 1 ,"x", [2, {}], null ] , "z": true } "#
        #expect(try Self.items(text) == [#"0:{"a": "}\"{"}"#, "1:1", #"2:"x""#, "3:[2, {}]", "4:null"])
        #expect(try Self.items(#"{"orders": []}"#).isEmpty)
        #expect(try Self.items(#"{"\u006frders": [7]}"#) == ["0:7"])
    }

    @Test func anItemOverTheLimitIsNamedNotRead() throws {
        #expect(
            try Self.items(#"{"orders": [1, "abcdefghij", 2]}"#, maximumItemBytes: 8) == ["0:1", "1:12 bytes", "2:2"]
        )
    }

    @Test(
        "a malformed envelope is a feed error",
        arguments: [
            "", "  ", "[1, 2]", "\"orders\"", "{", #"{"orders": "#, #"{"orders": {}}"#, #"{"other": []}"#,
            #"{"orders": [1, 2]"#, #"{"orders": [1 2]}"#, #"{"orders": [1,]}"#, #"{"orders": [,1]}"#,
            #"{"orders": [{"a": [1}]}"#, #"{"orders": [1]} x"#, #"{"orders": [1], "orders": [2]}"#,
            #"{"orders": [1],}"#, #"{"orders": ["abc]}"#, #"{"a": tru, "orders": []}"#, #"{"orders": [1] "a": 2}"#,
            #"{orders: []}"#,
            "{\"orders\": [" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
                + "]}",
        ]
    )
    func malformed(text: String) {
        #expect(throws: FeedError.self) { try Self.items(text) }
    }

    /// The syntax error behind a malformed item is kept as the error's cause, its offset counted from
    /// the start of the body (not of the item), so the message points at the byte to look at.
    @Test func aMalformedItemKeepsItsSyntaxErrorAsTheCause() throws {
        let text = #"{"orders": [{"a": 1}, {"b": tru}]}"#
        var reader = try JSONEnvelopeReader(body: Array(text.utf8), key: "orders")
        _ = try reader.next()
        let item = try #require(try reader.next())
        let error = #expect(throws: FeedError.self) {
            try ShopeeOrdersAdapter().adapt(item, context: context)
        }
        let cause = try #require(error?.cause)
        let offset = try #require(text.utf8.firstIndex(of: UInt8(ascii: "t")).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) })
        #expect(cause.offset == offset)
        #expect(error?.message == "invalid JSON at byte \(offset): \(cause.message)")
    }
}
