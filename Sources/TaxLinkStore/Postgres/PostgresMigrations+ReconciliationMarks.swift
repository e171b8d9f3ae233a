extension PostgresMigrations {
    /// The mark the last reconciliation left (``ReconciliationMark``), one row named `reconcile`: the
    /// SQLite store's `v10-reconciliation-marks`.
    static let reconciliationMarks: [PostgresMigration] = [
        PostgresMigration(
            name: "007-reconciliation-marks",
            sql: """
                CREATE TABLE reconciliation_marks (
                    name text COLLATE "C" PRIMARY KEY,
                    inputs text NOT NULL,
                    as_of bigint NOT NULL,
                    summary text NOT NULL
                );
                """
        )
    ]
}
