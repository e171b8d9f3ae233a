import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkReconcile
import TaxLinkStore
import TestSupport
import Testing

/// The bundled sample feeds (`mocks/feeds`) pushed through ingest and reconciled, on each store:
/// the records are the expected ones byte for byte, the findings the expected discrepancies, and
/// both stores give the same bytes and the same findings (ids, codes, records, amounts).
@Suite("Sample feeds end to end on both stores")
struct SampleFeedsEndToEndTests {
    static let feeds = SampleFeeds.all
    static let receivedAt = Timestamp.parseISO8601("2026-02-10T02:00:00Z")
    static let asOf = Timestamp.parseISO8601("2026-02-25T00:00:00Z")

    /// The repository's root folder.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// One finding as the comparison sees it.
    struct Finding: Hashable, Comparable, CustomStringConvertible {
        var id: String
        var code: String
        var recordID: String?
        var amount: Int64

        static func < (lhs: Finding, rhs: Finding) -> Bool { lhs.description < rhs.description }
        var description: String { "\(id) \(code) \(recordID ?? "-") \(amount)" }
    }

    /// What one store gives for the samples: every record's body in the store's order, and the
    /// active findings.
    struct Outcome: Equatable {
        var records: [String] = []
        var findings: [Finding] = []
    }

    /// Pushes every sample into a fresh store of `kind`, reconciles, and reads the outcome back.
    static func outcome(on kind: StoreKind) async throws -> Outcome {
        var outcome = Outcome()
        try await StoreFixture.withFindings(kind) { store in
            let ingestor = Ingestor(storage: store)
            let receivedAt = try #require(receivedAt)
            for feed in feeds {
                let body = Array(try Data(contentsOf: root.appendingPathComponent("mocks/feeds/\(feed.file)")))
                let summary = try await ingestor.ingest(
                    source: FeedSource(path: feed.path, format: feed.format), format: feed.format, body: body,
                    receivedAt: receivedAt)
                #expect(summary.rejected.isEmpty, "\(kind) \(feed.file): \(summary.rejected)")
            }
            try await store.forEachRecord(RecordQuery()) { outcome.records.append($0.body) }
            _ = try await Reconciler(storage: store).reconcile(asOf: try #require(asOf))
            outcome.findings = try await store.findings(FindingQuery()).findings.filter(\.active).map {
                Finding(
                    id: $0.content.id, code: $0.content.code.rawValue, recordID: $0.content.recordID,
                    amount: $0.content.amountAtRisk)
            }.sorted()
        }
        return outcome
    }

    /// A record with its feed id replaced (the expected file names the sample; feed ids are ours).
    static func normalised(_ line: String) throws -> String {
        guard case .object(var record) = try JSONParser.parse(Array(line.utf8)),
            let sourceIndex = record.members.firstIndex(where: { $0.key == "source" }),
            case .object(var source) = record.members[sourceIndex].value,
            let feedIndex = source.members.firstIndex(where: { $0.key == "feed_id" })
        else { return line }
        source.members[feedIndex].value = "feed"
        record.members[sourceIndex].value = .object(source)
        return CanonicalJSON.string(.object(record))
    }

    /// The lines of a fixture file.
    static func fixtureLines(_ path: String) throws -> [String] {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test(arguments: StoreKind.allCases)
    func recordsMatchTheExpectedOutputByteForByte(_ kind: StoreKind) async throws {
        let actual = try await Self.outcome(on: kind).records.map(Self.normalised).sorted()
        let expected = try Self.fixtureLines("Tests/TaxLinkIngestTests/Fixtures/expected-records.jsonl")
            .map(Self.normalised).sorted()
        #expect(actual.count == 139)
        #expect(actual == expected)
        let missing = Set(expected).subtracting(actual)
        #expect(missing.isEmpty, "not produced: \(missing.sorted().prefix(3))")
        let extra = Set(actual).subtracting(expected)
        #expect(extra.isEmpty, "unexpected: \(extra.sorted().prefix(3))")
    }

    @Test(arguments: StoreKind.allCases)
    func findingsAreTheExpectedDiscrepancies(_ kind: StoreKind) async throws {
        // The expected file's ids are not ours: ids are compared between the stores below.
        let actual = try await Self.outcome(on: kind).findings.map { Finding(id: "", code: $0.code, recordID: $0.recordID, amount: $0.amount) }
            .sorted()
        var expected: [Finding] = []
        for line in try Self.fixtureLines("Tests/TaxLinkReconcileTests/Fixtures/expected-discrepancies.jsonl") {
            let value = try JSONParser.parse(Array(line.utf8))
            guard case .number(let amount) = value["amount_at_risk"] else { continue }
            expected.append(
                Finding(
                    id: "", code: value["code"]?.stringValue ?? "",
                    recordID: value["record_id"]?.stringValue, amount: Int64(amount) ?? -1))
        }
        #expect(!actual.isEmpty)
        #expect(actual == expected.sorted())
        #expect(Set(expected).subtracting(actual).isEmpty, "missing: \(Set(expected).subtracting(actual).sorted())")
        #expect(Set(actual).subtracting(expected).isEmpty, "extra: \(Set(actual).subtracting(expected).sorted())")
    }

    @Test func bothStoresGiveTheSameRecordBytesAndTheSameFindings() async throws {
        let sqlite = try await Self.outcome(on: .sqlite)
        let postgres = try await Self.outcome(on: .postgres)
        #expect(sqlite.records.count == 139)
        #expect(postgres.records.map { Array($0.utf8) } == sqlite.records.map { Array($0.utf8) })
        #expect(postgres.findings == sqlite.findings)
    }
}
