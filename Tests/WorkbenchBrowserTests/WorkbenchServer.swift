import Foundation
import TestSupport

/// A real `taxlink serve` for the browser: a SQLite database in a temporary folder holding every
/// sample feed (ingested with `taxlink ingest`), reconciled by the server's start-up run, and a tokens
/// file naming the analysts (`TOKEN analyst NAME`).
struct WorkbenchServer {
    /// An analyst of the tokens file.
    struct Analyst {
        var token: String
        var name: String
    }

    /// `http://127.0.0.1:PORT`.
    let base: String
    /// The database file.
    let databasePath: String
    /// The analysts the server knows.
    let analysts: [Analyst]

    /// When the sample feeds arrived (their orders are of January 2026).
    static let receivedAt = "2026-02-10T02:00:00Z"

    /// Runs `body` with a server over the reconciled sample feeds; the server and its folder are gone
    /// afterwards.
    static func withServer<T>(analysts: [Analyst], _ body: (WorkbenchServer) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-browser-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let databasePath = folder.appendingPathComponent("taxlink.sqlite").path
        let tokensFile = folder.appendingPathComponent("tokens")
        try Data(analysts.map { "\($0.token) analyst \($0.name)\n" }.joined().utf8).write(to: tokensFile)
        try await ingestSampleFeeds(into: databasePath)
        let (server, port) = try await RunningTaxLink.serve(
            ["--database", "sqlite:" + databasePath, "--tokens-file", tokensFile.path, "--no-upload"],
            environment: ["LOG_LEVEL": "info"]
        )
        // The start-up reconciliation finds the findings; the next run is an hour away.
        let log = await server.standardError(containing: "reconciled")
        do {
            guard log.contains("reconciled") else {
                throw ServerFailure(description: "taxlink serve ended before reconciling:\n\(log.suffix(2_000))")
            }
            let result = try await body(
                WorkbenchServer(base: "http://127.0.0.1:\(port)", databasePath: databasePath, analysts: analysts)
            )
            await stop(server)
            return result
        } catch {
            await stop(server)
            throw error
        }
    }

    private static func stop(_ server: RunningTaxLink) async {
        server.send(SIGTERM)
        _ = await server.finished()
    }

    private static func ingestSampleFeeds(into databasePath: String) async throws {
        let feeds = TaxLinkBinary.packageRoot.appendingPathComponent("mocks/feeds")
        for sample in SampleFeeds.all {
            let result = try await TaxLinkBinary.run([
                "ingest", sample.path, feeds.appendingPathComponent(sample.file).path,
                "--database", "sqlite:" + databasePath, "--received-at", receivedAt,
            ])
            guard result.status == 0 else {
                throw ServerFailure(
                    description: "taxlink ingest \(sample.path) failed (\(result.status)):\n\(result.standardError)"
                )
            }
        }
    }
}

/// Why the server for the browser could not be prepared, with what the process wrote.
struct ServerFailure: Error, CustomStringConvertible {
    let description: String
}
