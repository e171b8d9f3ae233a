import PostgresNIO

extension PostgresStore {
    public func statistics() async throws -> StoreStatistics {
        try await withConnection { connection in
            let rows = try await connection.queryOnOpen(
                """
                SELECT
                    (SELECT count(*) FROM feeds WHERE status = 'complete'),
                    (SELECT count(*) FROM records WHERE is_latest),
                    (SELECT count(*) FROM records WHERE is_latest AND status = 'quarantined'),
                    (SELECT count(*) FROM orders_seen WHERE NOT completed),
                    (SELECT count(*) FROM settlements)
                """,
                logger: logger
            )
            for try await (feeds, records, quarantined, pending, settlements) in rows.decode(
                (Int, Int, Int, Int, Int).self
            ) {
                return StoreStatistics(
                    feeds: feeds,
                    records: records,
                    quarantined: quarantined,
                    pendingOrders: pending,
                    settlements: settlements
                )
            }
            throw PostgresStoreError.unexpectedAnswer("counting what is stored returned no row")
        }
    }
}
