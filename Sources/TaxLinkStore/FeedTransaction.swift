import GRDB
import TaxLinkCore

/// The writing side of ``SQLiteStore/storeFeed(_:resolving:_:)``: runs inside one write transaction on GRDB's
/// writer thread, takes the feed's parts from the channel as they come and writes them, then the
/// summary. When the channel fails or a write throws, the transaction rolls back whole.
struct FeedTransaction: Sendable {
    /// What travels through the channel: the feed's parts, then its end.
    enum Message: Sendable {
        case part(FeedPart)
        case end(FeedEnd)
    }

    let feedID: String
    let receivedAt: Timestamp
    /// Makes the refund record of a return claim that meets its sale.
    let resolver: any ReturnResolving

    /// Writes every part until the end arrives and returns the feed's summary. Blocks on `channel`.
    func run(_ db: Database, reading channel: FeedChannel<Message>) throws -> FeedSummary {
        var writer = RecordWriter(db: db, resolver: resolver)
        var counts = IngestCounts()
        var rejections = RejectionLog(db: db, feedID: feedID)
        while true {
            switch try channel.receive() {
            case .part(.items(let items)): counts = counts + (try writer.store(items, feedID: feedID))
            case .part(.settlements(let settlements)): counts = counts + (try store(settlements, db: db))
            case .part(.declaration(let declaration)): counts = counts + (try store(declaration, db: db))
            case .part(.rejections(let rejected)): try rejections.append(rejected)
            case .end(let end): return try finish(db, end: end, counts: counts, rejections: rejections)
            }
        }
    }

    private func finish(_ db: Database, end: FeedEnd, counts: IngestCounts, rejections: RejectionLog) throws
        -> FeedSummary
    {
        try db.execute(
            sql: """
                UPDATE feeds SET status = 'complete', body_sha256 = ?, received = ?, accepted = ?, duplicates = ?,
                    revised = ?, ignored = ?, rejected_total = ?
                WHERE id = ?
                """,
            arguments: [
                end.bodySHA256, end.received, counts.accepted, counts.duplicates, counts.revised, end.ignored,
                rejections.total, feedID,
            ]
        )
        return FeedSummary(
            feedID: feedID,
            received: end.received,
            accepted: counts.accepted,
            duplicates: counts.duplicates,
            revised: counts.revised,
            ignored: end.ignored,
            rejected: rejections.first,
            rejectedTotal: rejections.total
        )
    }

    /// Gateway settlements, in one multi-row statement; a transaction number seen before (by any feed, or
    /// earlier in this chunk) is a duplicate.
    private func store(_ settlements: [Settlement], db: Database) throws -> IngestCounts {
        let before = db.totalChangesCount
        try SQLiteMultiRow.execute(
            db,
            prefix: """
                INSERT INTO settlements (gateway, transaction_no, reference, platform, order_id, amount, paid_at,
                    bank_code, feed_id) VALUES
                """,
            suffix: "ON CONFLICT DO NOTHING",
            rows: settlements.map {
                [
                    $0.gateway, $0.transactionNo, $0.reference, $0.platform, $0.orderID, $0.amount, $0.paidAt.seconds,
                    $0.bankCode, feedID,
                ]
            }
        )
        let accepted = db.totalChangesCount - before
        return IngestCounts(accepted: accepted, duplicates: settlements.count - accepted)
    }

    /// A declaration: a new version for its platform and period unless identical to the latest.
    private func store(_ declaration: Declaration, db: Database) throws -> IngestCounts {
        let rows = CanonicalJSON.string(declaration.rowsJSON)
        let latest = try Row.fetchOne(
            db,
            sql: """
                SELECT version, rows FROM declarations WHERE platform = ? AND tax_period = ?
                ORDER BY version DESC LIMIT 1
                """,
            arguments: [declaration.platform, declaration.period.description]
        )
        if let latest, latest["rows"] as String == rows { return IngestCounts(duplicates: declaration.rows.count) }
        let version = (latest?["version"] as Int? ?? 0) + 1
        try db.execute(
            sql: """
                INSERT INTO declarations (platform, tax_period, version, feed_id, received_at, rows)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                declaration.platform, declaration.period.description, version, feedID, receivedAt.seconds, rows,
            ]
        )
        return IngestCounts(accepted: declaration.rows.count, revised: version > 1 ? declaration.rows.count : 0)
    }
}

/// The rejections of a feed being written: every one goes to `feed_rejections`, numbered in feed
/// order; only the first ``FeedSummary/answeredRejections`` stay in memory, for the answer.
private struct RejectionLog {
    let db: Database
    let feedID: String
    private(set) var first: [FeedSummary.Rejected] = []
    private(set) var total = 0

    init(db: Database, feedID: String) {
        self.db = db
        self.feedID = feedID
    }

    mutating func append(_ rejected: [FeedSummary.Rejected]) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO feed_rejections (feed_id, ordinal, item_index, line, external_id, code, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        )
        for item in rejected {
            try insert.execute(arguments: [
                feedID, total, item.index, item.line, item.externalID, item.code, item.reason,
            ])
            if first.count < FeedSummary.answeredRejections { first.append(item) }
            total += 1
        }
    }
}
