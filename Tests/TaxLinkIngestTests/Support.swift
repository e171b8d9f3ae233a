import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// A fresh SQLite store in a temporary folder, removed afterwards.
func withTemporaryStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("taxlink.sqlite").path
    return try await body(try SQLiteStore(path: path), path)
}

/// The repository's root folder.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The bytes of a bundled sample feed in `mocks/feeds`.
func sampleFeed(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: repositoryRoot.appendingPathComponent("mocks/feeds/\(name)")))
}

let sampleReceivedAt = Timestamp.parseISO8601("2026-02-10T02:00:00Z")!

extension Ingestor {
    /// Ingests a body given as text.
    func ingest(
        _ path: String, _ text: String, format: FeedSource.BodyFormat = .json, receivedAt: Timestamp = sampleReceivedAt
    ) async throws -> FeedSummary {
        try await ingest(
            source: FeedSource(path: path, format: format), format: format, body: Array(text.utf8),
            receivedAt: receivedAt)
    }
}

extension SQLiteStore {
    /// Every stored record of the query, decoded.
    func allRecords(_ query: RecordQuery = RecordQuery()) async throws -> [TransactionRecord] {
        var records: [TransactionRecord] = []
        try await forEachRecord(query) { records.append(try $0.decode()) }
        return records
    }
}

extension SQLiteStore {
    /// Whether nothing of any feed is visible: no record or revision (so nothing for the sealer to
    /// upload), pending order, return claim, settlement or declaration.
    func showsNothing() async throws -> Bool {
        let statistics = try await statistics()
        let (declarations, claims) = try await withReconciliationSnapshot {
            (try $0.declarationsInForce(), try $0.pendingReturnClaims())
        }
        let records = try await allRecords(RecordQuery(allRevisions: true))
        let unsealed = try await unsealedRecords(limit: 1)
        return records.isEmpty && unsealed.isEmpty && statistics.pendingOrders == 0 && statistics.settlements == 0
            && declarations.isEmpty && claims.isEmpty
    }
}

/// A stream of byte chunks that fails after its last chunk, as a body cut off by its client.
struct FailingChunks: AsyncSequence, Sendable {
    struct CutOff: Error {}
    typealias Element = [UInt8]
    let chunks: [[UInt8]]

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<[UInt8]>

        mutating func next() async throws -> [UInt8]? {
            guard let chunk = rest.popFirst() else { throw CutOff() }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: chunks[...]) }
}
