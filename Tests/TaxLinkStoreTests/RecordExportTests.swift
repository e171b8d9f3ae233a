import TaxLinkCore
import TestSupport
import Testing

@testable import TaxLinkStore

/// Reading every record in order, on both stores: each record once, in record id and revision
/// order, across many times the 2,000 rows the keyset pages this replaced read at a time.
@Suite struct RecordExportTests {
    typealias Samples = OutboxSamples

    /// More than two of the old pages.
    static let count = 4_500

    /// `E00000`… stored as one feed, every seventh revised by a second one, two quarantined records after them.
    static func storeRecords(in store: any Storage) async throws -> (ids: [String], revised: Set<String>) {
        let ids = (0..<count).map { "E\(String(100_000 + $0).dropFirst())" }
        try await Samples.store(ids.map { Samples.sale($0) }, at: 100, in: store)
        let revised = Set(ids.indices.filter { $0 % 7 == 3 }.map { ids[$0] })
        try await Samples.store(revised.sorted().map { Samples.sale($0, amount: 90_000) }, at: 200, in: store)
        let quarantined = [Samples.sale("Q1", quarantined: true), Samples.sale("Q2", quarantined: true)]
        try await Samples.store(quarantined, at: 300, in: store)
        return (ids + ["Q1", "Q2"], revised)
    }

    @Test(arguments: StoreKind.allCases)
    func everyRecordComesOnceInRecordIDAndRevisionOrder(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            let (ids, revised) = try await Self.storeRecords(in: store)
            var latest: [StoredRecord] = []
            try await store.forEachRecord(RecordQuery()) { latest.append($0) }
            #expect(latest.map(\.recordID) == ids.map(Samples.recordID))
            #expect(latest.map(\.revision) == ids.map { revised.contains($0) ? 2 : 1 })
            #expect(latest.map(\.quarantined) == ids.map { $0.hasPrefix("Q") })
            for record in latest {
                let decoded = try record.decode()
                #expect(decoded.recordID == record.recordID && decoded.revision == record.revision)
            }

            var every: [RecordRevision] = []
            try await store.forEachRecord(RecordQuery(allRevisions: true)) {
                every.append(RecordRevision(recordID: $0.recordID, revision: $0.revision))
            }
            let expected = ids.flatMap { id in
                (revised.contains(id) ? [1, 2] : [1]).map {
                    RecordRevision(recordID: Samples.recordID(id), revision: $0)
                }
            }
            #expect(every == expected)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func recordBodiesAreTheStoredBytesInTheSameOrder(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            _ = try await Self.storeRecords(in: store)
            let period = try #require(TaxPeriod("2026-01"))
            for query in [
                RecordQuery(), RecordQuery(allRevisions: true), RecordQuery(platform: "shopee", period: period),
            ] {
                var records: [[UInt8]] = []
                try await store.forEachRecord(query) { records.append(Array($0.body.utf8)) }
                var bodies: [[UInt8]] = []
                try await store.forEachRecordBody(query) { body in
                    bodies.append(body.withUnsafeBufferPointer { Array($0) })
                }
                #expect(bodies.count == records.count && bodies == records, "\(query)")
            }
            var other = 0
            try await store.forEachRecordBody(RecordQuery(platform: "lazada")) { _ in other += 1 }
            try await store.forEachRecordBody(RecordQuery(period: TaxPeriod("2025-12"))) { _ in other += 1 }
            #expect(other == 0)
        }
    }
}
