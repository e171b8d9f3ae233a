import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkReconcile
import TaxLinkStore

/// A fresh SQLite store in a temporary folder, removed afterwards.
func withTemporaryStore<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
    try await withTemporaryStore { store, _ in try await body(store) }
}

/// A fresh SQLite store and its file's path, removed afterwards.
func withTemporaryStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-reconcile-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("taxlink.sqlite").path
    return try await body(try SQLiteStore(path: path), path)
}

/// The repository's root folder.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A time written in RFC 3339.
func at(_ text: String) -> Timestamp {
    guard let instant = Timestamp.parseISO8601(text) else { preconditionFailure("bad test time \(text)") }
    return instant
}

let sampleReceivedAt = at("2026-02-10T02:00:00Z")
let sampleAsOf = at("2026-02-25T00:00:00Z")

extension SQLiteStore {
    /// Ingests a body given as text through the one ingest path.
    @discardableResult
    func push(
        _ path: String,
        _ text: String,
        format: FeedSource.BodyFormat = .json,
        receivedAt: Timestamp = sampleReceivedAt
    ) async throws -> FeedSummary {
        try await Ingestor(storage: self).ingest(
            source: FeedSource(path: path, format: format),
            format: format,
            body: Array(text.utf8),
            receivedAt: receivedAt
        )
    }

    /// Reconciles at `asOf` and returns the active findings, sorted by id.
    @discardableResult
    func reconcile(asOf: Timestamp = sampleAsOf) async throws -> [StoredFinding] {
        _ = try await Reconciler(storage: self).reconcile(asOf: asOf)
        return try await active()
    }

    /// The active findings, sorted by id.
    func active() async throws -> [StoredFinding] {
        try await findings(FindingQuery()).findings.filter(\.active).sorted { $0.content.id < $1.content.id }
    }
}

extension Array where Element == StoredFinding {
    /// The findings of one code.
    func with(_ code: DiscrepancyCode) -> [StoredFinding] { filter { $0.content.code == code } }
    /// The record ids, sorted.
    var records: [String] { compactMap(\.content.recordID).sorted() }
    /// The codes, sorted.
    var codes: [DiscrepancyCode] { map(\.content.code).sorted() }
}
