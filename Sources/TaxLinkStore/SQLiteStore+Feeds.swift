import Foundation
import GRDB
import TaxLinkCore

extension SQLiteStore {
    public func storeFeed(
        _ feed: NewFeed,
        resolving: any ReturnResolving,
        _ produce: (FeedSink) async throws -> FeedEnd
    ) async throws -> FeedSummary {
        let feedID = try await beginFeed(feed)
        let channel = FeedChannel<FeedTransaction.Message>(capacity: 2)
        let transaction = FeedTransaction(feedID: feedID, receivedAt: feed.receivedAt, resolver: resolving)
        do {
            return try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: FeedSummary.self) { group in
                    group.addTask {
                        do {
                            return try await self.pool.write { db in try transaction.run(db, reading: channel) }
                        } catch {
                            channel.fail(error)  // wakes a producer waiting in `send`
                            throw error
                        }
                    }
                    do {
                        let sink = FeedSink(feedID: feedID) { try await channel.send(.part($0)) }
                        try await channel.send(.end(try await produce(sink)))
                    } catch {
                        channel.fail(error)
                        // The writer's own error, when it failed first, says more than the channel's.
                        do { _ = try await group.next() } catch { throw error }
                        throw error
                    }
                    guard let summary = try await group.next() else { throw CancellationError() }
                    return summary
                }
            } onCancel: {
                channel.fail(CancellationError())
            }
        } catch {
            try? await markFailed(feedID)
            throw error
        }
    }

    /// Registers a feed as it starts to arrive, in a transaction of its own, and returns its id.
    /// `owner` is the process writing it (this one, but in tests).
    func beginFeed(_ feed: NewFeed, owner: FeedOwner = .current) async throws -> String {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO feeds (id, source, received_at, status, owner) VALUES ('', ?, ?, 'receiving', ?)",
                arguments: [feed.source, feed.receivedAt.seconds, owner.stored]
            )
            let sequence = db.lastInsertedRowID
            let id = "f-\(String(sequence).leftPadded(to: 6))"
            try db.execute(sql: "UPDATE feeds SET id = ? WHERE seq = ?", arguments: [id, sequence])
            return id
        }
    }

    /// Marks a feed whose transaction rolled back. Runs outside the caller's task, so a cancelled
    /// request still leaves its feed marked.
    private func markFailed(_ feedID: String) async throws {
        let pool = self.pool
        try await Task.detached {
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE feeds SET status = 'failed' WHERE id = ? AND status <> 'complete'",
                    arguments: [feedID]
                )
            }
        }.value
    }

    /// Marks the feeds a stopped process left `receiving` as `abandoned` (their transaction never
    /// committed, so nothing else of them exists): only those whose ``FeedOwner`` is gone (or that
    /// record none, from before owners were kept); a live writer's feed is left alone. Skipped when
    /// another connection is writing right now; the next opening catches the rest.
    func abandonInterruptedFeeds() throws {
        let waitMilliseconds = Int((configuration.busyTimeout * 1000).rounded())
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA busy_timeout = 0")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(waitMilliseconds)") }
            do {
                try db.inTransaction(.immediate) {
                    let receiving = try Row.fetchAll(db, sql: "SELECT id, owner FROM feeds WHERE status = 'receiving'")
                    for row in receiving {
                        let owner = (row["owner"] as String?).flatMap(FeedOwner.init(stored:))
                        guard owner?.isAlive != true else { continue }
                        let id: String = row["id"]
                        try db.execute(sql: "UPDATE feeds SET status = 'abandoned' WHERE id = ?", arguments: [id])
                    }
                    return .commit
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                return
            }
        }
    }

    public func feed(_ feedID: String) async throws -> StoredFeed? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "\(Self.feedColumns) WHERE id = ?", arguments: [feedID]) else {
                return nil
            }
            return try Self.storedFeed(
                row,
                rejections: Self.rejections(db, feedID, limit: FeedSummary.answeredRejections, offset: 0)
            )
        }
    }

    public func feeds(limit: Int, offset: Int) async throws -> [StoredFeed] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "\(Self.feedColumns) ORDER BY seq LIMIT ? OFFSET ?",
                arguments: [max(0, limit), max(0, offset)]
            ).map { try Self.storedFeed($0, rejections: []) }
        }
    }

    public func feedRejections(_ feedID: String, limit: Int, offset: Int) async throws -> [FeedSummary.Rejected] {
        try await pool.read { db in try Self.rejections(db, feedID, limit: limit, offset: offset) }
    }

    private static let feedColumns = """
        SELECT id, source, received_at, status, body_sha256, received, accepted, duplicates, revised, ignored,
            rejected_total FROM feeds
        """

    /// A feed row; its summary carries `rejections` (the first ones, for a single feed; none in lists).
    private static func storedFeed(_ row: Row, rejections: [FeedSummary.Rejected]) throws -> StoredFeed {
        let id: String = row["id"]
        let statusText: String = row["status"]
        guard let status = FeedStatus(rawValue: statusText) else {
            throw DatabaseError(message: "feed \(id) has the unknown status '\(statusText)'")
        }
        var summary: FeedSummary?
        if status == .complete, let received = row["received"] as Int? {
            summary = FeedSummary(
                feedID: id,
                received: received,
                accepted: row["accepted"] ?? 0,
                duplicates: row["duplicates"] ?? 0,
                revised: row["revised"] ?? 0,
                ignored: row["ignored"] ?? 0,
                rejected: rejections,
                rejectedTotal: row["rejected_total"] ?? rejections.count
            )
        }
        return StoredFeed(
            id: id,
            source: row["source"],
            receivedAt: Timestamp(unixSeconds: row["received_at"]),
            status: status,
            bodySHA256: row["body_sha256"],
            summary: summary
        )
    }

    private static func rejections(
        _ db: Database,
        _ feedID: String,
        limit: Int,
        offset: Int
    ) throws -> [FeedSummary.Rejected] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT item_index, line, external_id, code, reason FROM feed_rejections
                WHERE feed_id = ? AND ordinal >= ? ORDER BY ordinal LIMIT ?
                """,
            arguments: [feedID, max(0, offset), max(0, limit)]
        ).map { FeedSummary.Rejected(index: $0[0], line: $0[1], externalID: $0[2], code: $0[3], reason: $0[4]) }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
