import Foundation
import Logging
import PostgresNIO
import TaxLinkCore

extension PostgresStore: Storage {
    /// Stores a whole feed in one transaction on one connection, as ``Storage`` describes.
    ///
    /// The feed is registered first, committed on its own as `receiving`, by a statement that also
    /// takes a session advisory lock on it (see ``feedLockClass``): the lock is held by the
    /// connection that writes the feed until the feed is complete or failed, so PostgreSQL itself
    /// knows whether its writer is alive, on any host (a process that dies closes its connection and
    /// loses the lock). Then one `READ COMMITTED` transaction on the same connection takes the parts
    /// as `produce` sends them and writes each in bulk (``PostgresFeedWriter``); it commits after
    /// `produce` returned, or rolls back, marks the feed `failed` and rethrows. Once committed, a
    /// short second transaction resolves returns that met their sale in another process at the
    /// same moment (``PostgresRecordWriter/resolveWaitingClaims()``).
    ///
    /// Many processes: every part runs inside a `SAVEPOINT`. The unique keys (`(record_id,
    /// revision)`, one latest revision per record, settlement and declaration keys) let PostgreSQL
    /// make a writer that inserts the same key as another uncommitted writer wait for it; records and
    /// settlements are inserted with `ON CONFLICT DO NOTHING … RETURNING`. When a row of a part did
    /// not go in (another process stored it meanwhile), or PostgreSQL reports a unique violation,
    /// a deadlock or a serialization failure, the part is rolled back to its savepoint and written
    /// again, reading what the other process committed: the same order pushed to two processes at
    /// once gives one revision 1 and one duplicate. A feed is streamed, so the whole transaction
    /// cannot be replayed; a part that still conflicts after ``partAttempts`` tries fails the feed
    /// (two feeds locking the same records in opposite orders, one of them must give way).
    public func storeFeed(
        _ feed: NewFeed,
        resolving: any ReturnResolving,
        _ produce: (FeedSink) async throws -> FeedEnd
    ) async throws -> FeedSummary {
        try await withConnection { connection in
            let registered = try await register(feed, on: connection)
            do {
                let summary = try await write(
                    registered,
                    receivedAt: feed.receivedAt,
                    resolving: resolving,
                    on: connection,
                    produce
                )
                try await unlock(registered, on: connection)
                return summary
            } catch {
                try? await markFailed(registered.id)
                try? await unlock(registered, on: connection)
                throw error
            }
        }
    }

    /// The class of the session advisory locks (`pg_advisory_lock(class, key)`) that the writer of
    /// a `receiving` feed holds; the key is the feed's `seq` modulo 2³¹.
    static let feedLockClass: Int32 = 0x5458_4C46

    /// How many times one part of a feed is written when it meets another writer's rows.
    static let partAttempts = 8

    /// A feed as registered: its id and the key of its advisory lock.
    struct RegisteredFeed: Sendable {
        let id: String
        let lockKey: Int32
    }

    /// Registers `feed` as `receiving` (committed on its own) and locks it for this connection, in
    /// one statement, so no connection sees the feed before it is locked. The lock is free unless
    /// the feed 2³¹ feeds earlier is still being written (then this throws). `feeds.owner` names
    /// the writing process for operators (`host/pid:start`); liveness is the lock, not the owner.
    func register(_ feed: NewFeed, on connection: PostgresConnection) async throws -> RegisteredFeed {
        let owner = "\(ProcessInfo.processInfo.hostName)/\(FeedOwner.current.stored)"
        let rows = try await connection.queryOnOpen(
            """
            WITH registered AS (
                INSERT INTO feeds (source, received_at, status, owner)
                VALUES (\(feed.source), \(feed.receivedAt.seconds), 'receiving', \(owner))
                RETURNING id, (seq % 2147483648)::int AS lock_key
            )
            SELECT id, lock_key, pg_try_advisory_lock(\(Self.feedLockClass), lock_key) FROM registered
            """,
            logger: logger
        )
        for try await (id, lockKey, locked) in rows.decode((String, Int32, Bool).self) where locked {
            return RegisteredFeed(id: id, lockKey: lockKey)
        }
        throw PostgresStoreError.unexpectedAnswer("registering a feed returned no row")
    }

    private func unlock(_ feed: RegisteredFeed, on connection: PostgresConnection) async throws {
        try await connection.queryOnOpen(
            "SELECT pg_advisory_unlock(\(Self.feedLockClass), \(feed.lockKey))",
            logger: logger
        )
    }

    /// The feed's transaction: `BEGIN`, every part as it comes, the summary, `COMMIT`.
    private func write(
        _ feed: RegisteredFeed,
        receivedAt: Timestamp,
        resolving: any ReturnResolving,
        on connection: PostgresConnection,
        _ produce: (FeedSink) async throws -> FeedEnd
    ) async throws -> FeedSummary {
        let writer = PostgresFeedWriter(
            connection: connection,
            feedID: feed.id,
            receivedAt: receivedAt,
            resolver: resolving,
            logger: logger
        )
        let summary = try await writer.inTransaction {
            let sink = FeedSink(feedID: feed.id) { part in try await writer.write(part) }
            return try await writer.finish(try await produce(sink))
        }
        do {
            try await writer.inTransaction { try await writer.resolveWaitingClaims() }
        } catch {
            // The feed is stored and answered; the next feed that stores a sale or a claim resolves them.
            logger.warning(
                "returns waiting for their sale were not resolved after the feed",
                metadata: ["feed_id": "\(feed.id)", "error": "\(String(reflecting: error))"]
            )
        }
        return summary
    }

    /// Marks a feed whose transaction rolled back, on a connection of its own and outside the
    /// caller's task, so a cancelled request still leaves its feed marked.
    private func markFailed(_ feedID: String) async throws {
        try await Task.detached {
            try await self.withConnection { connection -> Void in
                try await connection.queryOnOpen(
                    "UPDATE feeds SET status = 'failed' WHERE id = \(feedID) AND status <> 'complete'",
                    logger: self.logger
                )
            }
        }.value
    }

    /// Marks as `abandoned` the `receiving` feeds whose writer is gone: those whose advisory lock
    /// (see ``storeFeed(_:resolving:_:)``) no connection holds. Their transaction never committed,
    /// so nothing else of them exists. A live writer's feed, in this process or another, on this
    /// host or another, keeps its lock and is left alone. A host that vanishes without closing its
    /// connections keeps its feeds `receiving` until PostgreSQL drops those connections (TCP
    /// keepalive, `idle_session_timeout`); they hold nothing visible meanwhile. Runs while the
    /// store opens (``open()``), on a connection leased before the store is open.
    func abandonInterruptedFeeds() async throws {
        try await leased { connection -> Void in
            try await connection.queryOnOpen(
                """
                WITH gone AS MATERIALIZED (
                    SELECT seq FROM feeds
                    WHERE status = 'receiving'
                        AND pg_try_advisory_xact_lock(\(Self.feedLockClass), (seq % 2147483648)::int)
                )
                UPDATE feeds SET status = 'abandoned' FROM gone
                WHERE feeds.seq = gone.seq AND feeds.status = 'receiving'
                """,
                logger: logger
            )
        }
    }
}
