import Foundation
import TaxLinkCore
import TestSupport
import Testing

/// `taxlink feeds list` and `taxlink feeds show ID [--rejections]`, run as the real binary.
@Suite("taxlink feeds", .serialized)
struct FeedsCommandTests {
    @Test func feedsAreListedAndShownWithEveryRejection() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-feeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", "sqlite:" + folder.appendingPathComponent("taxlink.sqlite").path]
        let feed = folder.appendingPathComponent("feed.json")
        let bad = Array(repeating: "1", count: 1_500).joined(separator: ",")
        try Data(#"{"orders": [\#(SampleOrders.shopee(1)),\#(bad)]}"#.utf8).write(to: feed)

        let ingest = try await TaxLinkBinary.run(["ingest", "shopee/orders", feed.path] + database)
        #expect(ingest.status == 0, "\(ingest.standardError)")
        let summary = try JSONParser.parse(Array(ingest.standardOutput.utf8))
        let id = try #require(summary["feed_id"]?.stringValue)
        #expect(summary["rejected_total"] == JSONValue.int(1_500))

        let list = try await TaxLinkBinary.run(["feeds", "list"] + database)
        let feeds = try #require(try JSONParser.parse(Array(list.standardOutput.utf8)).arrayValue)
        #expect(feeds.map { $0["feed_id"] } == [JSONValue.string(id)])
        #expect(feeds.first?["status"] == JSONValue.string("complete"))
        #expect(feeds.first?["accepted"] == JSONValue.int(1) && feeds.first?["rejected"] == nil)

        let show = try await TaxLinkBinary.run(["feeds", "show", id] + database)
        #expect(try JSONParser.parse(Array(show.standardOutput.utf8))["rejected"]?.arrayValue?.count == 1_000)

        let every = try await TaxLinkBinary.run(["feeds", "show", id, "--rejections"] + database)
        let document = try JSONParser.parse(Array(every.standardOutput.utf8))
        #expect(document["feed"]?["rejected_total"] == JSONValue.int(1_500))
        let indices = document["rejections"]?.arrayValue?.compactMap { $0["index"] }
        #expect(indices == (1...1_500).map { JSONValue.int($0) })

        let unknown = try await TaxLinkBinary.run(["feeds", "show", "f-999999"] + database)
        #expect(unknown.status != 0 && unknown.standardError.contains("no feed 'f-999999'"))
    }
}
