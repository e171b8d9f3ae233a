import Logging
import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    /// Calls `body` inside one `REPEATABLE READ READ ONLY` transaction: every query of the snapshot sees
    /// the database as it was at its first query, whatever other processes commit meanwhile.
    public func withReconciliationSnapshot<T: Sendable>(
        _ body: @Sendable (any ReconciliationSnapshot) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                let snapshot = PostgresReconciliationSnapshot(connection: connection, logger: logger)
                let value = try await withoutActuallyEscaping(body) { body in
                    try await PostgresBlockingBridge.onOwnThread { try body(snapshot) }
                }
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                // A connection that cannot roll back is closed by the pool; the body's error is the one to report.
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}

/// The inputs of a reconciliation, read on the connection of one read-only transaction; records and
/// settled orders are read a page at a time (keyset paging), so a million orders are never in memory.
struct PostgresReconciliationSnapshot: ReconciliationSnapshot, Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Rows per page of records or settled orders.
    var pageSize = 5_000

    func forEachLatestRecord(
        platform: String?,
        period: TaxPeriod?,
        _ body: (LatestRecordRow, Span<UInt8>) throws -> Void
    ) throws {
        var after = ""
        while true {
            let page = try rows { [self, after] in
                try await connection.query(
                    """
                    SELECT \(unescaped: PostgresLatestRecord.columns) FROM records
                    WHERE is_latest AND (\(platform)::text IS NULL OR platform = \(platform))
                        AND (\(period?.description)::text IS NULL OR tax_period = \(period?.description))
                        AND record_id > \(after)
                    ORDER BY record_id LIMIT \(Int64(pageSize))
                    """,
                    logger: logger
                )
            }
            for row in page { try PostgresLatestRecord(row)?.lend(to: body) }
            guard page.count == pageSize, let last = page.last else { return }
            after = try last.makeRandomAccess()[PostgresLatestRecord.recordIDColumn].decode(String.self)
        }
    }

    func latestRecords(recordIDs: [String], _ body: (LatestRecordRow, Span<UInt8>) throws -> Void) throws {
        for start in stride(from: 0, to: recordIDs.count, by: pageSize) {
            let chunk = Array(recordIDs[start..<min(start + pageSize, recordIDs.count)])
            let page = try rows { [self] in
                try await connection.query(
                    """
                    SELECT \(unescaped: PostgresLatestRecord.columns) FROM records
                    WHERE record_id = ANY(\(chunk)) AND is_latest ORDER BY record_id
                    """,
                    logger: logger
                )
            }
            for row in page { try PostgresLatestRecord(row)?.lend(to: body) }
        }
    }

    func pendingReturnClaims() throws -> [ReturnClaim] {
        try rows { [self] in
            try await connection.query(
                "SELECT body FROM return_claims WHERE NOT resolved ORDER BY record_id",
                logger: logger
            )
        }.map { try ReturnClaim(json: JSONParser.parse(Array(try $0.decode(String.self).utf8))) }
    }

    func forEachSettledOrder(_ body: (SettledOrderRow) throws -> Void) throws {
        var after = (platform: "", orderID: "")
        while true {
            let page = try rows { [self, after] in
                try await connection.query(
                    """
                    SELECT platform, order_id, \(unescaped: Self.clampedSum) FROM settlements
                    WHERE (platform, order_id) > (\(after.platform), \(after.orderID))
                    GROUP BY platform, order_id ORDER BY platform, order_id LIMIT \(Int64(pageSize))
                    """,
                    logger: logger
                )
            }
            for row in page {
                let (platform, orderID, amount) = try row.decode((String, String, Int64).self)
                try body(SettledOrderRow(platform: platform, orderID: orderID, amount: amount))
                after = (platform, orderID)
            }
            guard page.count == pageSize else { return }
        }
    }

    func pushedSaleOrders(platform: String, orderIDs: [String]) throws -> Set<String> {
        guard !orderIDs.isEmpty else { return [] }
        return Set(
            try rows { [self] in
                try await connection.query(
                    """
                    SELECT external_id FROM orders_seen
                    WHERE platform = \(platform) AND kind = 'sale' AND external_id = ANY(\(orderIDs))
                    """,
                    logger: logger
                )
            }.map { try $0.decode(String.self) }
        )
    }

    func settlementSummaries(platform: String, orderIDs: [String]) throws -> [SettlementSummaryRow] {
        guard !orderIDs.isEmpty else { return [] }
        return try rows { [self] in
            try await connection.query(
                """
                SELECT platform, order_id, \(unescaped: Self.clampedSum), count(*), min(paid_at) FROM settlements
                WHERE platform = \(platform) AND order_id = ANY(\(orderIDs)) GROUP BY platform, order_id
                """,
                logger: logger
            )
        }.map { row in
            let (platform, orderID, amount, count, paidAt) = try row.decode((String, String, Int64, Int, Int64).self)
            return SettlementSummaryRow(
                platform: platform,
                orderID: orderID,
                amount: amount,
                count: count,
                firstPaidAt: Timestamp(unixSeconds: paidAt)
            )
        }.sorted { $0.orderID < $1.orderID }
    }

    func declarationsInForce() throws -> [Declaration] {
        try rows { [self] in
            try await connection.query(
                """
                SELECT DISTINCT ON (platform, tax_period) platform, tax_period, rows FROM declarations
                ORDER BY platform, tax_period, version DESC
                """,
                logger: logger
            )
        }.compactMap { row in
            let (platform, period, text) = try row.decode((String, String, String).self)
            guard let period = TaxPeriod(period) else { return nil }
            let rows = try (JSONParser.parse(Array(text.utf8)).arrayValue ?? [])
                .map(SQLiteReconciliationSnapshot.declarationRow)
            return Declaration(platform: platform, period: period, rows: rows)
        }
    }

    func recordRejections() throws -> [MinistryRejection] {
        try rows { [self] in
            try await connection.query(
                "SELECT batch_id, record_id, revision, code, message FROM ministry_rejections ORDER BY record_id, batch_id",
                logger: logger
            )
        }.map { row in
            let (batchID, recordID, revision, code, message) = try row.decode(
                (String, String, Int?, String, String).self
            )
            return MinistryRejection(
                batchID: batchID,
                recordID: recordID,
                revision: revision,
                code: code,
                message: message
            )
        }
    }

    /// Σ `amount` clamped to `Int64`, as SQLite's `clamped_sum`.
    private static let clampedSum = "least(greatest(sum(amount), -9223372036854775808), 9223372036854775807)::bigint"

    /// Every row of the query `query` runs, waited for on this thread (see ``PostgresBlockingBridge``).
    func rows(_ query: @escaping @Sendable () async throws -> PostgresRowSequence) throws -> [PostgresRow] {
        try PostgresBlockingBridge.wait { try await query().collect() }
    }
}
