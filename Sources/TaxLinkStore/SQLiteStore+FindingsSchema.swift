import GRDB

extension SQLiteStore {
    /// The reconciliation tables (findings and their history), and a covering index that lets the
    /// reconciler sum an order's settlements without reading the settlement rows.
    static func registerFindingsMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-findings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE findings (
                        id TEXT PRIMARY KEY,
                        code TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        platform TEXT NOT NULL,
                        tax_period TEXT,
                        platform_seller_id TEXT,
                        category TEXT,
                        tax_id TEXT,
                        record_id TEXT,
                        external_id TEXT,
                        revision INTEGER,
                        expected TEXT NOT NULL,
                        actual TEXT NOT NULL,
                        amount_at_risk INTEGER NOT NULL,
                        detail TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        status TEXT NOT NULL,
                        resolution TEXT,
                        active INTEGER NOT NULL,
                        detected_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX findings_by_amount ON findings (amount_at_risk DESC, code, platform, record_id, id);
                    CREATE INDEX findings_by_detected ON findings (detected_at DESC);
                    CREATE INDEX findings_by_platform_period ON findings (platform, tax_period);
                    CREATE INDEX findings_by_seller ON findings (platform_seller_id);
                    CREATE INDEX findings_active ON findings (active);
                    CREATE TABLE finding_history (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        finding_id TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        from_status TEXT,
                        to_status TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        note TEXT,
                        reason TEXT NOT NULL
                    );
                    CREATE INDEX finding_history_by_finding ON finding_history (finding_id, seq);
                    CREATE INDEX settlements_sum_by_order ON settlements (platform, order_id, amount);
                    """
            )
        }
    }
}
