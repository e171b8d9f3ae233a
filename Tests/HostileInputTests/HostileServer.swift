import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TaxLinkCore
import TestSupport
import Testing

/// A live `taxlink serve` (the built binary) on a free loopback port, over a database in a temporary
/// folder, with a token per role and short timeouts, for pushing hostile input at it.
final class HostileServer: Sendable {
    static let tokens = [
        "h-shopee platform:shopee", "h-lazada platform:lazada", "h-tiki platform:tiki", "h-vnpay gateway:vnpay",
        "h-analyst analyst", "h-operator operator",
    ].joined(separator: ",")

    /// The platforms that have a token.
    static let platforms = ["shopee", "lazada", "tiki"]

    let folder: URL
    let process: RunningTaxLink
    let port: Int
    let arguments: [String]

    var database: String { "sqlite:" + folder.appendingPathComponent("taxlink.sqlite").path }

    /// Starts a server over a fresh database (or the one in `folder`), with `extra` arguments.
    init(folder: URL? = nil, extra: [String] = []) async throws {
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.folder = folder
        self.arguments = extra
        let database = "sqlite:" + folder.appendingPathComponent("taxlink.sqlite").path
        process = try await RunningTaxLink(
            [
                "serve", "--port", "0", "--no-upload", "--database", database, "--header-timeout", "2",
                "--body-timeout", "2", "--keep-alive-timeout", "2",
            ] + extra,
            environment: ["TAXLINK_TOKENS": Self.tokens, "LOG_LEVEL": "error"])
        let announced = await process.standardError(containing: "serving on http://127.0.0.1:")
        guard let range = announced.range(of: #"127\.0\.0\.1:\d+"#, options: .regularExpression),
            let port = Int(announced[range].split(separator: ":")[1])
        else {
            process.send(SIGKILL)
            throw HostileError("taxlink serve did not announce its port:\n\(announced)")
        }
        self.port = port
    }

    /// An answer: status, headers and body text.
    struct Answer: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var json: JSONValue? { try? JSONParser.parse(Array(body.utf8)) }
    }

    /// Sends a request with `token` and returns the answer.
    func request(
        _ method: HTTPMethod, _ path: String, token: String? = nil, contentType: String? = nil, body: [UInt8]? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        // A fresh connection per request: a pooled one may meet the server's keep-alive timeout.
        request.headers.add(name: "Connection", value: "close")
        // Uncompressed answers: their sizes are what the tests bound (the shared client would ask
        // for gzip and refuse to inflate an answer that compresses more than its ratio limit).
        request.headers.add(name: "Accept-Encoding", value: "identity")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let buffer = try await response.body.collect(upTo: 256 << 20)
        return Answer(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: String(buffer: buffer))
    }

    /// Pushes `body` to `path` as its platform would.
    func push(_ path: String, token: String, _ body: String, contentType: String = "application/json") async throws
        -> Answer
    {
        try await request(.POST, path, token: token, contentType: contentType, body: Array(body.utf8))
    }

    /// Whether the process still answers `/healthz`.
    func expectAlive(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let answer = try await request(.GET, "/healthz")
        #expect(answer.status == 200, comment, sourceLocation: sourceLocation)
        #expect(process.process.isRunning, comment, sourceLocation: sourceLocation)
    }

    /// Stops the server (SIGTERM), starts a new one on the same database, checks that it is ready,
    /// and returns it.
    func restarted(sourceLocation: SourceLocation = #_sourceLocation) async throws -> HostileServer {
        await stop()
        let next = try await HostileServer(folder: folder, extra: arguments)
        let ready = try await next.request(.GET, "/readyz")
        #expect(ready.status == 200, "restarted on the resulting database", sourceLocation: sourceLocation)
        return next
    }

    /// Stops the server and waits for it to end.
    func stop() async {
        process.send(SIGTERM)
        _ = await process.finished()
    }

    /// Stops the server and removes its folder.
    func finish() async {
        await stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `taxlink` with `arguments` on this server's database.
    func command(_ arguments: [String]) async throws -> TaxLinkBinary.Result {
        try await TaxLinkBinary.run(arguments + ["--database", database], environment: ["LOG_LEVEL": "error"])
    }

    /// Runs `taxlink reconcile`, then `taxlink report schedule` for each of `platforms` in `period`, on
    /// the database, expecting each to exit 0.
    func expectCommandsSucceed(
        platforms: [String], period: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let reconcile = try await command(["reconcile"])
        #expect(reconcile.status == 0, "taxlink reconcile: \(reconcile.standardError)", sourceLocation: sourceLocation)
        for platform in platforms {
            let schedule = try await command(["report", "schedule", "--platform", platform, "--period", period])
            #expect(
                schedule.status == 0, "taxlink report schedule --platform \(platform): \(schedule.standardError)",
                sourceLocation: sourceLocation)
        }
    }

    /// How many records `taxlink records` prints for the database.
    func storedRecords() async throws -> Int {
        let result = try await command(["records", "--format", "jsonl"])
        #expect(result.status == 0, "taxlink records: \(result.standardError)")
        return result.standardOutput.split(separator: "\n").count
    }
}

/// A hostile-suite setup that cannot go on.
struct HostileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a fresh server, then restarts it on the resulting database (which must be ready),
/// stops it, runs `taxlink reconcile` and `taxlink report schedule` for each of `platforms` in `period`
/// on that database (each must exit 0), and then `afterwards` (further command-line checks).
func withHostileServer(
    extra: [String] = [], platforms: [String] = HostileServer.platforms, period: String = "2026-01",
    _ body: (HostileServer) async throws -> Void,
    afterwards: (HostileServer) async throws -> Void = { _ in }
) async throws {
    let server = try await HostileServer(extra: extra)
    do {
        try await body(server)
        try await server.expectAlive("after the pushes")
    } catch {
        await server.finish()
        throw error
    }
    let restarted = try await server.restarted()
    do {
        try await restarted.expectAlive("restarted on the resulting database")
        await restarted.stop()
        try await restarted.expectCommandsSucceed(platforms: platforms, period: period)
        try await afterwards(restarted)
        await restarted.finish()
    } catch {
        await restarted.finish()
        throw error
    }
}
