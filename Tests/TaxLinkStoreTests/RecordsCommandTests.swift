import Foundation
import TaxLinkCore
import TestSupport
import Testing

@testable import TaxLinkStore

/// `taxlink records` through the built binary, on both stores: the stored bodies written as they
/// are, each once, in record id order, as JSON lines or as one JSON array.
@Suite struct RecordsCommandTests {
    @Test(arguments: StoreKind.allCases)
    func recordsWritesEveryStoredBodyOnceInOrder(kind: StoreKind) async throws {
        try await StoreFixture.withStore(kind) { test in
            let store: any Storage =
                switch test.backing {
                case .sqlite(let sqlite): sqlite
                case .postgres(let postgres): postgres
                }
            let (ids, _) = try await RecordExportTests.storeRecords(in: store)
            var latest: [String] = []
            try await store.forEachRecord(RecordQuery()) { latest.append($0.body) }
            #expect(latest.count == ids.count)

            let environment = ProcessInfo.processInfo.environment
            let lines = try await TaxLinkBinary.run(
                ["records", "--format", "jsonl", "--database", test.url.description],
                environment: environment
            )
            #expect(lines.status == 0, "\(lines.standardError)")
            #expect(lines.standardOutput == latest.map { $0 + "\n" }.joined())

            let array = try await TaxLinkBinary.run(
                ["records", "--database", test.url.description, "--all-revisions"],
                environment: environment
            )
            #expect(array.status == 0, "\(array.standardError)")
            var every: [String] = []
            try await store.forEachRecord(RecordQuery(allRevisions: true)) { every.append($0.body) }
            #expect(array.standardOutput == "[\n" + every.joined(separator: ",\n") + "\n]\n")

            let none = try await TaxLinkBinary.run(
                ["records", "--database", test.url.description, "--platform", "lazada"],
                environment: environment
            )
            #expect(none.status == 0 && none.standardOutput == "[]\n", "\(none.standardError)")
        }
    }
}
