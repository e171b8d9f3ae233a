import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkReconcile
import TaxLinkStore
import TestSupport
import Testing

@Suite("Sample feeds")
struct SampleFeedsTests {
    static let feeds = SampleFeeds.all

    /// Pushes every sample feed, in the order of the samples' README.
    static func ingestSamples(into store: SQLiteStore) async throws {
        let ingestor = Ingestor(storage: store)
        for (path, file, format) in feeds {
            let body = try Data(contentsOf: repositoryRoot.appendingPathComponent("mocks/feeds/\(file)"))
            let summary = try await ingestor.ingest(
                source: FeedSource(path: path, format: format),
                format: format,
                body: Array(body),
                receivedAt: sampleReceivedAt
            )
            #expect(summary.rejected.isEmpty, "\(file): \(summary.rejected)")
        }
    }

    struct Key: Hashable, Comparable, CustomStringConvertible {
        var code: String
        var recordID: String?
        var amount: Int64

        static func < (lhs: Key, rhs: Key) -> Bool { lhs.description < rhs.description }
        var description: String { "\(code) \(recordID ?? "-") \(amount)" }
    }

    @Test func reconcilingTheSamplesGivesTheExpectedDiscrepancies() async throws {
        try await withTemporaryStore { store in
            try await Self.ingestSamples(into: store)
            let findings = try await store.reconcile(asOf: sampleAsOf)
            let text = try String(
                contentsOf: repositoryRoot.appendingPathComponent(
                    "Tests/TaxLinkReconcileTests/Fixtures/expected-discrepancies.jsonl"
                ),
                encoding: .utf8
            )
            var expected: [Key] = []
            for line in text.split(separator: "\n") {
                let value = try JSONParser.parse(Array(line.utf8))
                guard case .number(let amount) = value["amount_at_risk"] else { continue }
                expected.append(
                    Key(
                        code: value["code"]?.stringValue ?? "",
                        recordID: value["record_id"]?.stringValue,
                        amount: Int64(amount) ?? -1
                    )
                )
            }
            let actual = findings.map {
                Key(code: $0.content.code.rawValue, recordID: $0.content.recordID, amount: $0.content.amountAtRisk)
            }
            #expect(actual.sorted() == expected.sorted())
            let missing = Set(expected).subtracting(actual).sorted()
            let extra = Set(actual).subtracting(expected).sorted()
            #expect(missing.isEmpty, "missing: \(missing)")
            #expect(extra.isEmpty, "extra: \(extra)")
        }
    }
}
