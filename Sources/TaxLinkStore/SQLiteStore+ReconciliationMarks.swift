import GRDB
import TaxLinkCore

extension SQLiteStore {
    /// The mark the last reconciliation left (``ReconciliationMark``), one row named `reconcile`.
    static func registerReconciliationMarkMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-reconciliation-marks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reconciliation_marks (
                        name TEXT PRIMARY KEY,
                        inputs TEXT NOT NULL,
                        as_of INTEGER NOT NULL,
                        summary TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
    }

    public func setReconciliationMark(_ mark: ReconciliationMark?) async throws {
        try await pool.write { db in
            guard let mark else {
                try db.execute(sql: "DELETE FROM reconciliation_marks WHERE name = 'reconcile'")
                return
            }
            try db.execute(
                sql: """
                    INSERT INTO reconciliation_marks (name, inputs, as_of, summary) VALUES ('reconcile', ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET
                        inputs = excluded.inputs, as_of = excluded.as_of, summary = excluded.summary
                    """,
                arguments: [mark.inputs, mark.asOf.seconds, mark.summary]
            )
        }
    }
}

extension SQLiteReconciliationSnapshot {
    func inputStamp() throws -> String {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT count(*) FROM feeds WHERE status = 'complete'),
                    (SELECT coalesce(max(seq), 0) FROM feeds WHERE status = 'complete'),
                    (SELECT count(*) FROM return_claims WHERE resolved = 1),
                    (SELECT count(*) FROM ministry_rejections)
                """
        )
        guard let row else { return "" }
        return "feeds \(row[0] as Int64) to \(row[1] as Int64), resolved returns \(row[2] as Int64), "
            + "rejections \(row[3] as Int64)"
    }

    func reconciliationMark() throws -> ReconciliationMark? {
        try Row.fetchOne(
            db,
            sql: "SELECT inputs, as_of, summary FROM reconciliation_marks WHERE name = 'reconcile'"
        ).map { ReconciliationMark(inputs: $0[0], asOf: Timestamp(unixSeconds: $0[1]), summary: $0[2]) }
    }

    func hasUnsettledSales(completedFrom from: Int64, before to: Int64) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (
                    SELECT 1 FROM records AS r INDEXED BY records_facts
                    WHERE r.is_latest = 1 AND r.kind = 'sale' AND r.cod = 0 AND r.occurred_at >= ? AND r.occurred_at < ?
                        AND NOT EXISTS (SELECT 1 FROM settlements s WHERE s.platform = r.platform AND s.order_id = r.external_id)
                )
                """,
            arguments: [from, to]
        ) ?? true
    }
}
