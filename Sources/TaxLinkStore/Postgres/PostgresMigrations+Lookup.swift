extension PostgresMigrations {
    /// Indexes for the analysts' drill-down (``RecordLookupStorage``), the SQLite store's
    /// `v9-lookup-indexes`: a seller's latest records, the latest records of an order id on any platform,
    /// and the findings of a record.
    static let lookup: [PostgresMigration] = [
        PostgresMigration(
            name: "006-lookup-indexes",
            sql: """
                CREATE INDEX records_by_seller ON records (seller_id, platform) WHERE is_latest;
                CREATE INDEX records_by_external_id ON records (external_id) WHERE is_latest;
                CREATE INDEX findings_by_record ON findings (record_id);
                """
        )
    ]
}
