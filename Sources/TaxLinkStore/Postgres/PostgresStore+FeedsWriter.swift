import Logging
import PostgresNIO
import TaxLinkCore

/// The writing side of ``PostgresStore/storeFeed(_:resolving:_:)``: runs inside the feed's
/// transaction on one connection and writes each part as it is sent, in bulk, inside a savepoint
/// that is rolled back and written again when the part meets another process's rows (see
/// ``PostgresStore/storeFeed(_:resolving:_:)``). The counts and rejections of a part are kept only
/// once its savepoint is released.
actor PostgresFeedWriter {
    private let connection: PostgresConnection
    private let feedID: String
    private let receivedAt: Timestamp
    private let logger: Logger
    private var records: PostgresRecordWriter
    private var counts = IngestCounts()
    private var firstRejections: [FeedSummary.Rejected] = []
    private var rejectedTotal = 0

    init(
        connection: PostgresConnection,
        feedID: String,
        receivedAt: Timestamp,
        resolver: any ReturnResolving,
        logger: Logger
    ) {
        self.connection = connection
        self.feedID = feedID
        self.receivedAt = receivedAt
        self.logger = logger
        records = PostgresRecordWriter(connection: connection, feedID: feedID, resolver: resolver, logger: logger)
    }

    /// Writes one part of the feed.
    func write(_ part: FeedPart) async throws {
        switch part {
        case .items(let items):
            counts = counts + (try await inSavepoint { try await $0.store(items) })
        case .settlements(let settlements):
            counts = counts + (try await inSavepoint { try await $0.store(settlements) })
        case .declaration(let declaration):
            counts = counts + (try await inSavepoint { try await $0.store(declaration, receivedAt: self.receivedAt) })
        case .rejections(let rejected):
            try await inSavepoint { try await $0.storeRejections(rejected, from: self.rejectedTotal) }
            for item in rejected where firstRejections.count < FeedSummary.answeredRejections {
                firstRejections.append(item)
            }
            rejectedTotal += rejected.count
        }
    }

    /// Writes the feed's summary (status `complete`) and returns it; the caller commits.
    func finish(_ end: FeedEnd) async throws -> FeedSummary {
        try await connection.queryOnOpen(
            """
            UPDATE feeds SET status = 'complete', body_sha256 = \(end.bodySHA256), received = \(end.received),
                accepted = \(counts.accepted), duplicates = \(counts.duplicates), revised = \(counts.revised),
                ignored = \(end.ignored), rejected_total = \(rejectedTotal)
            WHERE id = \(feedID)
            """,
            logger: logger
        )
        return FeedSummary(
            feedID: feedID,
            received: end.received,
            accepted: counts.accepted,
            duplicates: counts.duplicates,
            revised: counts.revised,
            ignored: end.ignored,
            rejected: firstRejections,
            rejectedTotal: rejectedTotal
        )
    }

    /// Runs `body` in one `READ COMMITTED` transaction on the writer's connection: `BEGIN`, the
    /// body, `COMMIT`; a body that throws is rolled back and its error rethrown.
    nonisolated func inTransaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await connection.queryOnOpen("BEGIN ISOLATION LEVEL READ COMMITTED", logger: logger)
        do {
            let value = try await body()
            try await connection.queryOnOpen("COMMIT", logger: logger)
            return value
        } catch {
            _ = try? await connection.queryOnOpen("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// After the feed committed, when it stored a sale or left a return waiting: makes the refunds
    /// of the returns that met their sale in another process's feed at the same moment.
    func resolveWaitingClaims() async throws {
        guard records.mayMeetClaims else { return }
        try await inSavepoint { try await $0.resolveWaitingClaims() }
    }

    /// Runs `body` inside a savepoint; rolls back to it and runs `body` again (on a fresh copy of
    /// the record writer's state) when the part met another writer's rows.
    private func inSavepoint<T: Sendable>(
        _ body: (inout PostgresRecordWriter) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            try await connection.queryOnOpen("SAVEPOINT feed_part", logger: logger)
            var writer = records
            do {
                let value = try await body(&writer)
                try await connection.queryOnOpen("RELEASE SAVEPOINT feed_part", logger: logger)
                records = writer
                return value
            } catch let error where PostgresRecordWriter.isConflict(error) {
                try await connection.queryOnOpen("ROLLBACK TO SAVEPOINT feed_part", logger: logger)
                try await connection.queryOnOpen("RELEASE SAVEPOINT feed_part", logger: logger)
                guard attempt < PostgresStore.partAttempts else {
                    throw PostgresStoreError.contended("feed \(feedID)", cause: error)
                }
                logger.debug(
                    "feed part met another writer; written again",
                    metadata: ["feed_id": "\(feedID)", "attempt": "\(attempt)"]
                )
                attempt += 1
            }
        }
    }
}
