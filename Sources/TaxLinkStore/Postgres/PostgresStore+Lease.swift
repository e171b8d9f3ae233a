import PostgresNIO

extension PostgresStore {
    /// Leases a pooled connection for `body` without waiting for the store to open (the
    /// migrations use it), giving up after ``Configuration/leaseTimeout``.
    ///
    /// A child task holds the lease and hands the connection over; `body` runs here, and the lease
    /// is returned when it ends. A child timer ends the wait when no connection comes in time,
    /// as happens while the database is down: the caller then gets
    /// ``PostgresStoreError/isUnavailable`` at once instead of waiting for the pool's own limit.
    func leased<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let endpoint = configuration.endpoint
        let timeout = configuration.leaseTimeout
        let client = client
        do {
            return try await withThrowingTaskGroup(of: Void.self) { group in
                let handoff = AsyncThrowingStream<PostgresConnection, any Error>.makeStream()
                let released = AsyncStream<Void>.makeStream()
                defer {
                    released.continuation.finish()
                    group.cancelAll()
                }
                group.addTask {
                    do {
                        try await client.withConnection { connection in
                            handoff.continuation.yield(connection)
                            for await _ in released.stream {}
                        }
                    } catch {
                        handoff.continuation.finish(throwing: error)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    handoff.continuation.finish(throwing: PostgresStoreError.unavailable(endpoint, cause: nil))
                }
                var connections = handoff.stream.makeAsyncIterator()
                guard let connection = try await connections.next() else { throw PostgresStoreError.closed }
                return try await body(connection)
            }
        } catch {
            throw Self.classify(error, endpoint: endpoint)
        }
    }
}
