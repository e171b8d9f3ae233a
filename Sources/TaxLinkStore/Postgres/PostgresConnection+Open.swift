import Logging
import PostgresNIO

/// The error of a statement not sent because its connection was already closed (the server
/// shut down or dropped it); the store reports it as ``PostgresStoreError/isUnavailable``.
struct ClosedConnectionError: Error, Sendable, CustomStringConvertible {
    var description: String { "the connection to PostgreSQL is closed" }
}

extension PostgresConnection {
    /// `query(_:logger:)` on a connection still open; throws ``ClosedConnectionError`` at once on
    /// one that is closed. PostgresNIO (1.33) never answers a statement written to a connection
    /// whose channel has closed (its handlers are gone), so a feed whose connection the server
    /// ended between two statements would wait for ever instead of failing as unavailable.
    @discardableResult
    func queryOnOpen(
        _ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line
    ) async throws -> PostgresRowSequence {
        guard !isClosed else { throw ClosedConnectionError() }
        return try await self.query(query, logger: logger, file: file, line: line)
    }
}
