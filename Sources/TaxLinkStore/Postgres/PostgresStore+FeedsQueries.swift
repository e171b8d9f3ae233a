import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    public func feed(_ feedID: String) async throws -> StoredFeed? {
        try await withConnection { connection in
            let rows = try await connection.queryOnOpen(
                "\(unescaped: Self.feedColumns) WHERE id = \(feedID)",
                logger: logger
            )
            var found: FeedRow?
            for try await row in rows.decode(FeedRow.Columns.self) { found = FeedRow(row) }
            guard let found else { return nil }
            let rejections = try await Self.rejections(
                feedID,
                limit: FeedSummary.answeredRejections,
                offset: 0,
                on: connection,
                logger: logger
            )
            return try found.storedFeed(rejections: rejections)
        }
    }

    public func feeds(limit: Int, offset: Int) async throws -> [StoredFeed] {
        try await withConnection { connection in
            let rows = try await connection.queryOnOpen(
                "\(unescaped: Self.feedColumns) ORDER BY seq LIMIT \(max(0, limit)) OFFSET \(max(0, offset))",
                logger: logger
            )
            var feeds: [StoredFeed] = []
            for try await row in rows.decode(FeedRow.Columns.self) {
                feeds.append(try FeedRow(row).storedFeed(rejections: []))
            }
            return feeds
        }
    }

    public func feedRejections(_ feedID: String, limit: Int, offset: Int) async throws -> [FeedSummary.Rejected] {
        try await withConnection { connection in
            try await Self.rejections(feedID, limit: limit, offset: offset, on: connection, logger: logger)
        }
    }

    private static let feedColumns = """
        SELECT id, source, received_at, status, body_sha256, received, accepted, duplicates, revised, ignored,
            rejected_total FROM feeds
        """

    private static func rejections(
        _ feedID: String,
        limit: Int,
        offset: Int,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [FeedSummary.Rejected] {
        let rows = try await connection.queryOnOpen(
            """
            SELECT item_index, line, external_id, code, reason FROM feed_rejections
            WHERE feed_id = \(feedID) AND ordinal >= \(max(0, offset)) ORDER BY ordinal LIMIT \(max(0, limit))
            """,
            logger: logger
        )
        var rejections: [FeedSummary.Rejected] = []
        for try await (index, line, externalID, code, reason) in rows.decode(
            (Int?, Int?, String?, String?, String).self
        ) {
            rejections.append(
                FeedSummary.Rejected(index: index, line: line, externalID: externalID, code: code, reason: reason)
            )
        }
        return rejections
    }
}

/// A row of `feeds`.
private struct FeedRow {
    typealias Columns = (String, String, Int64, String, String?, Int?, Int?, Int?, Int?, Int?, Int?)

    let columns: Columns

    init(_ columns: Columns) {
        self.columns = columns
    }

    /// The feed; its summary (once complete) carries `rejections`.
    func storedFeed(rejections: [FeedSummary.Rejected]) throws -> StoredFeed {
        let (id, source, receivedAt, statusText, bodySHA256, received, accepted, duplicates, revised, ignored, total) =
            columns
        guard let status = FeedStatus(rawValue: statusText) else {
            throw PostgresStoreError.unexpectedAnswer("feed \(id) has the unknown status '\(statusText)'")
        }
        var summary: FeedSummary?
        if status == .complete, let received {
            summary = FeedSummary(
                feedID: id,
                received: received,
                accepted: accepted ?? 0,
                duplicates: duplicates ?? 0,
                revised: revised ?? 0,
                ignored: ignored ?? 0,
                rejected: rejections,
                rejectedTotal: total ?? rejections.count
            )
        }
        return StoredFeed(
            id: id,
            source: source,
            receivedAt: Timestamp(unixSeconds: receivedAt),
            status: status,
            bodySHA256: bodySHA256,
            summary: summary
        )
    }
}
