import ArgumentParser
import TaxLinkCore
import TaxLinkStore

/// `taxlink feeds list` and `taxlink feeds show ID [--rejections]`: stored feeds and their summaries.
struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Stored feeds with their summaries, and every item a feed rejected.",
        subcommands: [List.self, Show.self]
    )

    /// Rows read from the store at a time.
    static let page = 1_000

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every stored feed (JSON array): source, status and summary counts."
        )

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await storage.withStores { stores in
                let store = stores.feeds
                var output = Output()
                var offset = 0
                output.raw("[")
                while true {
                    let feeds = try await store.feeds(limit: FeedsCommand.page, offset: offset)
                    for feed in feeds {
                        output.raw(offset == 0 ? "\n" : ",\n")
                        output.raw(CanonicalJSON.string(FeedsCommand.withoutRejections(feed.json)))
                        offset += 1
                    }
                    if feeds.count < FeedsCommand.page { break }
                }
                output.line(offset == 0 ? "]" : "\n]")
                output.flush()
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one feed with its summary (the first 1,000 rejections), or with every rejection.",
            discussion: "With --rejections the output is {\"feed\": …, \"rejections\": [every rejected item]}."
        )

        @OptionGroup var storage: StorageOptions

        @Argument(help: "The feed id (f-000001).")
        var id: String

        @Flag(help: "Print every rejected item of the feed.")
        var rejections = false

        func run() async throws {
            try await storage.withStores { stores in
                let store = stores.feeds
                guard let feed = try await store.feed(id) else { throw CommandFailure("no feed '\(id)'") }
                var output = Output()
                guard rejections else {
                    output.json(feed.json)
                    output.flush()
                    return
                }
                output.raw(
                    "{\"feed\":" + CanonicalJSON.string(FeedsCommand.withoutRejections(feed.json)) + ",\"rejections\":["
                )
                var offset = 0
                while true {
                    let page = try await store.feedRejections(id, limit: FeedsCommand.page, offset: offset)
                    for rejected in page {
                        output.raw((offset == 0 ? "\n" : ",\n") + CanonicalJSON.string(rejected.json))
                        offset += 1
                    }
                    if page.count < FeedsCommand.page { break }
                }
                output.line(offset == 0 ? "]}" : "\n]}")
                output.flush()
            }
        }
    }

    /// A feed's JSON without its `rejected` list (the totals stay).
    static func withoutRejections(_ feed: JSONValue) -> JSONValue {
        guard case .object(let object) = feed else { return feed }
        return .object(JSONObject(object.members.filter { $0.key != "rejected" }))
    }
}
