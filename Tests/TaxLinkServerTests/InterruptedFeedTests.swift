import Foundation
import TaxLinkCore
import TaxLinkStore
import TestSupport
import Testing

/// `taxlink ingest` killed with SIGKILL in the middle of a feed: the feed's transaction never
/// committed, so nothing of it is visible, and the next opening of the store marks it `abandoned`.
@Suite("Interrupted feeds", .serialized)
struct InterruptedFeedTests {
    @Test func aFeedKilledMidIngestLeavesNothingAndIsAbandoned() async throws {
        let binary = try await TaxLinkBinary.url()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("taxlink.sqlite").path

        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "ingest", "shopee/orders", "/dev/stdin", "--format", "ndjson", "--database", "sqlite:\(database)",
        ]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Several chunks of items, and the input left open: the feed cannot end before the kill.
        let lines = (0..<6_000).map { SampleOrders.shopee($0) }.joined(separator: "\n") + "\n"
        input.fileHandleForWriting.write(Data(lines.utf8))
        var progress = ""
        while !progress.contains(" items\n") {
            let data = errors.fileHandleForReading.availableData
            guard !data.isEmpty else { break }
            progress += String(decoding: data, as: UTF8.self)
        }
        #expect(progress.contains(" items\n"), "no progress before the kill: \(progress)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let store = try SQLiteStore(path: database)
        #expect(try await store.feed("f-000001")?.status == .abandoned)
        var records = 0
        try await store.forEachRecord(RecordQuery(allRevisions: true)) { _ in records += 1 }
        #expect(records == 0)
        #expect(try await store.unsealedRecords(limit: 1).isEmpty)
        #expect(try await store.statistics().pendingOrders == 0)
    }
}
