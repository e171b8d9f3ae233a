import GRDB

extension SQLiteStore {
    /// The sealer's order over the records still to seal, as PostgreSQL's `records_unsealed`: each
    /// round reads the next few thousand records along it instead of sorting every unsealed record
    /// again (which made sealing a backlog quadratic). Sealing leaves the index, so it stays small.
    static func registerOutboxSealingMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-records-unsealed-order") { db in
            try db.execute(
                sql: """
                    CREATE INDEX records_unsealed_order ON records (received_at, record_id)
                        WHERE is_latest = 1 AND status = 'ready' AND batch_id IS NULL
                    """
            )
        }
    }

    /// The next `limit` records to seal, oldest first, along `records_unsealed_order` (named, since
    /// without statistics the planner prefers `records_unsealed` and a sort).
    static let unsealedRecordsSQL = """
        SELECT record_id, revision, body FROM records INDEXED BY records_unsealed_order
        WHERE is_latest = 1 AND status = 'ready' AND batch_id IS NULL
        ORDER BY received_at, record_id LIMIT ?
        """
}
