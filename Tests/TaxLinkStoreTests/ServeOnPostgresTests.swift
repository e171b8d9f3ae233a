import Foundation
import Synchronization
import TaxLinkStore
import TestSupport
import Testing

/// `taxlink serve` processes on PostgreSQL, pushed to over HTTP, checked in the database.
@Suite("Serve on PostgreSQL", .serialized)
struct ServeOnPostgresTests {
    /// Two `serve` processes on one database receive overlapping feeds at the same time, then
    /// the same change to some orders at the same time: every push is acknowledged, every order
    /// is stored, and each record has exactly one revision 1 (and one revision 2 when changed).
    @Test
    func twoServersStoreOverlappingFeedsOnce() async throws {
        try await StoreFixture.withPostgresDatabase { endpoint in
            async let first = RunningTaxLink.serve(["--database", endpoint.description], environment: ServePush.environment)
            async let second = RunningTaxLink.serve(["--database", endpoint.description], environment: ServePush.environment)
            let servers = try await [first, second]
            defer { servers.forEach { $0.server.send(SIGKILL) } }
            // Six chunks of 150 orders (K0…K649), each overlapping the next by 50, each pushed to
            // both servers at once.
            let chunks = (0..<6).map { Array($0 * 100..<$0 * 100 + 150) }
            let total = 650
            let changed = Array(0..<120)
            let renamed: @Sendable (Int) -> String = {
                SampleOrders.shopee($0).replacingOccurrences(of: #""item_name": "x""#, with: #""item_name": "y""#)
            }
            var pushes = await Self.pushToBoth(chunks, servers.map(\.port))
            pushes += await Self.pushToBoth([changed, changed], servers.map(\.port), line: renamed)

            for push in pushes {
                #expect(push.status == 202, "orders \(push.orders.first ?? 0)…: \(String(describing: push.status))")
            }
            let stored = try await ServePush.storedRevisions(at: endpoint)
            #expect(stored.count == total)
            for index in 0..<total {
                let expected: [Int64] = changed.contains(index) ? [1, 2] : [1]
                #expect(stored["K\(index)"] == expected, "K\(index)")
            }
        }
    }

    /// Pushes every chunk to every server, all at once; returns the answers.
    private static func pushToBoth(
        _ chunks: [[Int]], _ ports: [Int], line: @escaping @Sendable (Int) -> String = SampleOrders.shopee
    ) async -> [ServePush] {
        await withTaskGroup(of: ServePush.self) { group in
            for chunk in chunks {
                for port in ports {
                    group.addTask { await ServePush.send(chunk, port: port, line: line) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// PostgreSQL stopped under a `serve` being pushed to: pushes get 503 with `Retry-After` (never
    /// 202 or 500) and `/readyz` is 503 while it is down; once it is started again, pushes are
    /// acknowledged again without restarting `serve`; every acknowledged order is stored.
    @Test(arguments: ["fast", "immediate"])
    func pushesWaitOutADatabaseRestart(_ mode: String) async throws {
        let cluster = try TestPostgres.PrivateCluster()
        defer { cluster.remove() }
        let (server, port) = try await RunningTaxLink.serve(
            ["--database", cluster.url], environment: ServePush.environment)
        defer { server.send(SIGKILL) }
        let log = PushLog()
        let pusher = Task {
            var next = 0
            while !log.stopped {
                let started = log.phase
                let push = await ServePush.send(Array(next..<next + 20), port: port)
                log.append(push, startedIn: started)
                next += 20
            }
        }
        defer { log.stopped = true }

        try await log.waitUntil("three pushes acknowledged before the stop") { $0.count { $0.push.isAcknowledged } >= 3 }
        try cluster.stop(mode: mode)
        log.phase = .down
        async let readiness = ServePush.status(of: "/readyz", port: port)
        try await log.waitUntil("a push started while the database is down answered") {
            $0.contains { $0.phase == .down && $0.push.status != nil }
        }
        #expect(await readiness == 503)
        try cluster.start()
        log.phase = .restarted
        try await log.waitUntil("a push started after the restart acknowledged", seconds: 45) {
            $0.contains { $0.phase == .restarted && $0.push.isAcknowledged }
        }
        log.stopped = true
        _ = await pusher.value

        let entries = log.entries
        for entry in entries {
            #expect(entry.push.status == 202 || entry.push.status == 503, "\(entry)")
            if entry.push.status == 503 { #expect(entry.push.retryAfter != nil) }
            // A push started while the database was down may wait for a connection and be
            // acknowledged, but only once the database is back. (One started before the stop may
            // have committed just before it, and its answer may arrive after the stop returned.)
            if entry.phase == .down && entry.push.isAcknowledged { #expect(entry.endedIn == .restarted, "\(entry)") }
        }
        #expect(entries.contains { $0.phase == .down && $0.endedIn == .down && $0.push.status == 503 })
        guard case .postgres(let endpoint) = try DatabaseURL(parsing: cluster.url) else { return }
        let stored = try await ServePush.storedRevisions(at: endpoint)
        for entry in entries where entry.push.isAcknowledged {
            for order in entry.push.orders { #expect(stored["K\(order)"] == [1], "K\(order)") }
        }
    }
}

/// The pushes made so far, each with the phase of the test it started in.
private final class PushLog: Sendable {
    enum Phase: Sendable { case up, down, restarted }

    struct Entry: Sendable {
        var push: ServePush
        /// The phase when the push started.
        var phase: Phase
        /// The phase when its answer (or its failure) came.
        var endedIn: Phase
    }

    private let state = Mutex<(phase: Phase, entries: [Entry], stopped: Bool)>((.up, [], false))

    var phase: Phase {
        get { state.withLock { $0.phase } }
        set { state.withLock { $0.phase = newValue } }
    }

    /// Whether the pusher should stop before its next push (set between pushes, never cancelling one).
    var stopped: Bool {
        get { state.withLock { $0.stopped } }
        set { state.withLock { $0.stopped = newValue } }
    }

    var entries: [Entry] { state.withLock { $0.entries } }

    func append(_ push: ServePush, startedIn phase: Phase) {
        state.withLock { $0.entries.append(Entry(push: push, phase: phase, endedIn: $0.phase)) }
    }

    /// Polls the entries until `condition` holds; fails after `seconds`.
    func waitUntil(
        _ what: String, seconds: Int = 30, _ condition: @escaping @Sendable ([Entry]) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition(entries) {
            guard ContinuousClock.now < deadline else {
                throw TestPostgres.Unavailable(description: "timed out waiting until \(what): \(entries.suffix(5))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
