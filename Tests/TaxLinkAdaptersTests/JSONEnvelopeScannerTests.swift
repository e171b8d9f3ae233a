import TaxLinkAdapters
import TaxLinkCore
import Testing

/// The envelope is read as its bytes arrive: each item comes out once its last byte is in, and any
/// split of the body gives the same items and the same errors as the whole body.
@Suite("JSON envelope scanner")
struct JSONEnvelopeScannerTests {
    /// Every item of `text` fed in pieces of `piece` bytes, as in ``JSONEnvelopeReaderTests/items(_:maximumItemBytes:)``.
    static func items(_ text: String, piece: Int, maximumItemBytes: Int = 1 << 20) throws(FeedError) -> [String] {
        var scanner = JSONEnvelopeScanner(key: "orders", maximumItemBytes: maximumItemBytes)
        let body = Array(text.utf8)
        var items: [String] = []
        var start = 0
        while start < body.count {
            let end = min(start + piece, body.count)
            for item in try scanner.append(body[start..<end]) {
                switch item.content {
                case .bytes(let bytes): items.append("\(item.index)@\(item.offset):\(String(decoding: bytes, as: UTF8.self))")
                case .tooLarge(let size, _): items.append("\(item.index)@\(item.offset):\(size) bytes")
                }
            }
            start = end
        }
        try scanner.finish()
        return items
    }

    @Test func itemsComeOutBeforeTheBodyEnds() throws {
        var scanner = JSONEnvelopeScanner(key: "orders")
        #expect(try scanner.append(Array(#"{"orders": [{"order": {"order_sn": "A"#.utf8)).isEmpty)
        let first = try scanner.append(Array(#"1"}}, {"order": {"order_sn": "A2"}}, {"ord"#.utf8))
        #expect(first.map(\.index) == [0, 1])
        #expect(first.first?.content == .bytes(Array(#"{"order": {"order_sn": "A1"}}"#.utf8)[...]))
        #expect(try scanner.append(Array(#"er": 3}"#.utf8)).map(\.index) == [2])
        #expect(try scanner.append(Array("]}".utf8)).isEmpty)
        try scanner.finish()
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13, 64])
    func anySplitGivesTheItemsOfTheWholeBody(piece: Int) throws {
        let text = #" { "meta": {"n": [1, "]"]}, "orders" : [ {"a": "}\"{\\"}, 1 ,"x", [2, {}], null, "abcdefghijklmnopq" ] , "z": true } "#
        let whole = try Self.items(text, piece: text.utf8.count, maximumItemBytes: 16)
        #expect(whole.count == 6)
        #expect(whole.last?.hasSuffix(":19 bytes") == true)
        #expect(try Self.items(text, piece: piece, maximumItemBytes: 16) == whole)
    }

    @Test(
        "any split of a malformed envelope fails with the error of the whole body",
        arguments: [
            "  ", "[1, 2]", "{", #"{"orders": "#, #"{"orders": {}}"#, #"{"other": []}"#, #"{"orders": [1, 2]"#,
            #"{"orders": [1 2]}"#, #"{"orders": [1,]}"#, #"{"orders": [,1]}"#, #"{"orders": [{"a": [1}]}"#,
            #"{"orders": [1]} x"#, #"{"orders": [1], "orders": [2]}"#, #"{"orders": [1],}"#, #"{"orders": ["abc]}"#,
            #"{"orders": [{"a": "bc]}"#, #"{"a": tru, "orders": []}"#, #"{"orders": [1] "a": 2}"#, #"{orders: []}"#,
            "{\"orders\": [" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "]}",
        ]
    )
    func malformed(text: String) throws {
        let whole = #expect(throws: FeedError.self) { try Self.items(text, piece: max(1, text.utf8.count)) }
        for piece in [1, 2, 7] {
            let split = #expect(throws: FeedError.self) { try Self.items(text, piece: piece) }
            #expect(split?.message == whole?.message, "pieces of \(piece)")
        }
    }

    /// An item far over the limit is counted as it passes, never kept: the scanner holds at most the
    /// limit of it, whatever its size.
    @Test func aHugeItemIsCountedNotKept() throws {
        var scanner = JSONEnvelopeScanner(key: "orders", maximumItemBytes: 100)
        _ = try scanner.append(Array(#"{"orders": ["#.utf8))
        _ = try scanner.append(Array(#"{"a": ""#.utf8))
        for _ in 0..<1_000 { #expect(try scanner.append([UInt8](repeating: UInt8(ascii: "x"), count: 1_000)).isEmpty) }
        let items = try scanner.append(Array(#""}, 7]}"#.utf8))
        #expect(items.map(\.content) == [.tooLarge(size: 1_000_009, limit: 100), .bytes([UInt8(ascii: "7")][...])])
        try scanner.finish()
    }
}
