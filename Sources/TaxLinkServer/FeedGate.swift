/// Lets a few feeds be ingested at once and queues the rest, first come first served.
///
/// A feed holds the store's single writer from its first chunk to its commit. When every push
/// adapts at once, the feed that holds the writer gets a small share of the cores while the others
/// adapt items the writer cannot take yet: the writer waits, throughput falls and every answer comes
/// late. Through the gate, one feed writes while the next adapts, each at the speed of
/// `taxlink ingest`, and pushes are answered in the order they arrived. A push waits here only once
/// its body is collected, so a slow client holds no turn.
actor FeedGate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A gate that lets `limit` feeds (at least 1) through at once.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a turn is free, and frees the turn after it.
    nonisolated func withTurn<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        do {
            let value = try await body()
            await leave()
            return value
        } catch {
            await leave()
            throw error
        }
    }

    private func enter() async {
        guard running >= limit else {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the turn to the longest-waiting push, or frees it.
    private func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
