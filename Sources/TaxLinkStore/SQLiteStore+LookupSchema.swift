import GRDB

extension SQLiteStore {
    /// Indexes for the analysts' drill-down (``RecordLookupStorage``): a seller's latest records, the latest
    /// records of an order id on any platform, and the findings of a record. Without them each of these
    /// look-ups reads the whole table.
    static func registerLookupMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-lookup-indexes") { db in
            try db.execute(
                sql: """
                    CREATE INDEX records_by_seller ON records (seller_id, platform) WHERE is_latest = 1;
                    CREATE INDEX records_by_external_id ON records (external_id) WHERE is_latest = 1;
                    CREATE INDEX findings_by_record ON findings (record_id);
                    """
            )
        }
    }
}
