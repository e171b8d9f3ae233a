import ArgumentParser
import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// `taxlink ingest SOURCE FILE…`: the HTTP ingest path, from files.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest feed files through the same path as the HTTP API and print each feed's summary.",
        discussion: """
            SOURCE mirrors the push path: shopee/orders, shopee/returns, lazada/orders, tiktokshop/orders, \
            tiki/orders (a .csv file or --format csv uses the generic CSV), <platform>/declarations, \
            vnpay/settlements. .ndjson files are read as a stream.
            """
    )

    @OptionGroup var storage: StorageOptions

    @Argument(help: "The source, as in the push path (e.g. shopee/orders).")
    var source: String

    @Argument(help: "Feed files.")
    var files: [String]

    @Option(help: "Body format: json, ndjson or csv (default: from the file name).")
    var format: String?

    @Option(
        name: .customLong("received-at"),
        help: "Receive time (RFC 3339) for replaying archived feeds; default now."
    )
    var receivedAt: String?

    @Option(name: .customLong("max-items"), help: "The most items one feed may hold (default 1000000).")
    var maximumItems = Ingestor.Configuration().maximumItems

    func run() async throws {
        let receivedAt = try self.receivedAt.map { text in
            guard let instant = Timestamp.parseISO8601(text) else {
                throw CommandFailure("--received-at: '\(text)' is not an RFC 3339 time with a zone")
            }
            return instant
        }
        try await storage.withStores(creatingIfMissing: true) { stores in
            let store = stores.feeds
            guard maximumItems > 0 else { throw CommandFailure("--max-items: expected a positive number") }
            var configuration = Ingestor.Configuration()
            configuration.maximumItems = maximumItems
            let ingestor = Ingestor(storage: store, configuration: configuration)
            var output = Output()
            for file in files {
                let format = try bodyFormat(of: file)
                let feedSource: FeedSource
                do {
                    feedSource = try FeedSource(path: source, format: format)
                } catch {
                    throw CommandFailure("\(error)")
                }
                let progress: @Sendable (Int) -> Void = { count in Output.progress("\(file): \(count) items") }
                let summary: FeedSummary
                do {
                    if format == .ndjson || (format == .json && feedSource.jsonAdapter != nil) {
                        summary = try await ingestor.ingestStream(
                            source: feedSource,
                            format: format,
                            chunks: FileChunks(path: file),
                            receivedAt: receivedAt ?? .now,
                            progress: progress
                        )
                    } else {
                        guard let data = FileManager.default.contents(atPath: file) else {
                            throw CommandFailure("\(file): cannot read the file")
                        }
                        summary = try await ingestor.ingest(
                            source: feedSource,
                            format: format,
                            body: Array(data),
                            receivedAt: receivedAt ?? .now,
                            progress: progress
                        )
                    }
                } catch let error as FeedError {
                    throw CommandFailure("\(file): \(error.description)")
                }
                output.json(summary.json)
            }
            output.flush()
        }
    }

    private func bodyFormat(of file: String) throws -> FeedSource.BodyFormat {
        switch (format ?? URL(fileURLWithPath: file).pathExtension).lowercased() {
        case "csv": .csv
        case "ndjson", "jsonl": .ndjson
        case "json": .json
        case let other: throw CommandFailure("\(file): unknown format '\(other)'; pass --format json, ndjson or csv")
        }
    }
}

/// A file read in chunks, as an async sequence.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let path: String
    var chunkSize = 1 << 20

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        let chunkSize: Int

        mutating func next() async throws -> [UInt8]? {
            guard let handle else { throw CommandFailure("cannot open the file") }
            let data = handle.readData(ofLength: chunkSize)
            return data.isEmpty ? nil : Array(data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: FileHandle(forReadingAtPath: path), chunkSize: chunkSize)
    }
}
