import GRDB

extension SQLiteStore {
    /// The schema, as named append-only migrations, one group per concern, in the order they shipped.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        registerIngestMigrations(&migrator)
        registerOutboxMigrations(&migrator)
        registerFindingsMigrations(&migrator)
        registerOutboxEvidenceMigrations(&migrator)
        registerFeedMigrations(&migrator)
        registerSessionMigrations(&migrator)
        registerOutboxSealingMigrations(&migrator)
        registerLookupMigrations(&migrator)
        return migrator
    }

    private static func registerIngestMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-ingest") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feeds (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        source TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        body_sha256 TEXT,
                        status TEXT NOT NULL,
                        summary TEXT
                    );
                    CREATE TABLE records (
                        record_id TEXT NOT NULL,
                        revision INTEGER NOT NULL,
                        platform TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        external_id TEXT NOT NULL,
                        original_external_id TEXT,
                        seller_id TEXT NOT NULL,
                        tax_period TEXT NOT NULL,
                        occurred_at INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        feed_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        flags TEXT NOT NULL,
                        content_sha256 BLOB NOT NULL,
                        source_difference INTEGER,
                        cod INTEGER NOT NULL,
                        line_item_ids TEXT,
                        body TEXT NOT NULL,
                        is_latest INTEGER NOT NULL,
                        batch_id TEXT,
                        PRIMARY KEY (record_id, revision)
                    ) WITHOUT ROWID;
                    CREATE INDEX records_latest ON records (is_latest, platform, tax_period);
                    CREATE INDEX records_by_order ON records (platform, external_id) WHERE is_latest = 1;
                    CREATE TABLE orders_seen (
                        platform TEXT NOT NULL,
                        external_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        completed INTEGER NOT NULL,
                        feed_id TEXT NOT NULL,
                        PRIMARY KEY (platform, kind, external_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE return_claims (
                        record_id TEXT PRIMARY KEY,
                        platform TEXT NOT NULL,
                        order_id TEXT NOT NULL,
                        content_sha256 BLOB NOT NULL,
                        body TEXT NOT NULL,
                        resolved INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX return_claims_by_order ON return_claims (platform, order_id);
                    CREATE TABLE settlements (
                        gateway TEXT NOT NULL,
                        transaction_no TEXT NOT NULL,
                        reference TEXT NOT NULL,
                        platform TEXT NOT NULL,
                        order_id TEXT NOT NULL,
                        amount INTEGER NOT NULL,
                        paid_at INTEGER NOT NULL,
                        bank_code TEXT NOT NULL,
                        feed_id TEXT NOT NULL,
                        PRIMARY KEY (gateway, transaction_no)
                    ) WITHOUT ROWID;
                    CREATE INDEX settlements_by_order ON settlements (platform, order_id);
                    CREATE TABLE declarations (
                        platform TEXT NOT NULL,
                        tax_period TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        feed_id TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        rows TEXT NOT NULL,
                        PRIMARY KEY (platform, tax_period, version)
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
