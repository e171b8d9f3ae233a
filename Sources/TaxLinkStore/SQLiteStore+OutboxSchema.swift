import GRDB

extension SQLiteStore {
    /// The outbox tables.
    static func registerOutboxMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE batches (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        state TEXT NOT NULL,
                        body BLOB NOT NULL,
                        body_sha256 TEXT NOT NULL,
                        jws TEXT NOT NULL,
                        record_count INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER,
                        first_attempt_at INTEGER,
                        state_since INTEGER NOT NULL,
                        lease_owner TEXT,
                        lease_until INTEGER,
                        last_error TEXT,
                        receipt BLOB,
                        receipt_jws TEXT,
                        delivered_at INTEGER,
                        parent_id TEXT
                    );
                    CREATE INDEX batches_due ON batches (state, next_attempt_at);
                    CREATE TABLE batch_records (
                        record_id TEXT NOT NULL,
                        revision INTEGER NOT NULL,
                        batch_id TEXT NOT NULL,
                        PRIMARY KEY (record_id, revision)
                    ) WITHOUT ROWID;
                    CREATE INDEX batch_records_by_batch ON batch_records (batch_id);
                    CREATE TABLE batch_attempts (
                        batch_id TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        status INTEGER,
                        error TEXT,
                        next_wait REAL,
                        PRIMARY KEY (batch_id, number)
                    ) WITHOUT ROWID;
                    CREATE TABLE ministry_rejections (
                        batch_id TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        revision INTEGER,
                        code TEXT NOT NULL,
                        message TEXT NOT NULL,
                        PRIMARY KEY (batch_id, record_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX records_unsealed ON records (is_latest, status, batch_id);
                    """
            )
        }
    }
}
