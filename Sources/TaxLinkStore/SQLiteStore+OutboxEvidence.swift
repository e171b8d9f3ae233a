import Foundation
import GRDB
import TaxLinkCore

extension SQLiteStore {
    /// What the outbox keeps for evidence and recovery: the chain each batch was signed with, every
    /// receipt as received (verified or not), and where a requeued batch's retry budget starts.
    static func registerOutboxEvidenceMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-outbox-evidence") { db in
            try db.execute(
                sql: """
                    ALTER TABLE batches ADD COLUMN signing_chain TEXT;
                    ALTER TABLE batches ADD COLUMN attempts_before_requeue INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE batches ADD COLUMN requeued_at INTEGER;
                    CREATE TABLE batch_receipts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        batch_id TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        status INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        jws TEXT,
                        ministry_trust TEXT,
                        verdict TEXT NOT NULL DEFAULT 'unchecked',
                        problem TEXT
                    );
                    CREATE INDEX batch_receipts_by_batch ON batch_receipts (batch_id, id);
                    """
            )
        }
    }
}

extension SQLiteStore {
    public func storeReceipt(_ receipt: ReceivedReceipt) async throws -> Int64 {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO batch_receipts (batch_id, received_at, status, body, jws, ministry_trust)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    receipt.batchID, receipt.receivedAt.seconds, receipt.status, Data(receipt.body), receipt.jws,
                    receipt.ministryTrust,
                ]
            )
            return db.lastInsertedRowID
        }
    }

    public func recordReceiptVerdict(id: Int64, problem: String?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE batch_receipts SET verdict = ?, problem = ? WHERE id = ?",
                arguments: [problem == nil ? "verified" : "refused", problem, id]
            )
        }
    }

    public func receipts(batchID: String) async throws -> [StoredReceipt] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, received_at, status, body, jws, ministry_trust, verdict, problem
                    FROM batch_receipts WHERE batch_id = ? ORDER BY id
                    """,
                arguments: [batchID]
            ).map { row in
                let verdict: StoredReceipt.Verdict =
                    switch row[6] as String {
                    case "verified": .verified
                    case "refused": .refused(row[7] ?? "")
                    default: .unchecked
                    }
                return StoredReceipt(
                    id: row[0],
                    receipt: ReceivedReceipt(
                        batchID: batchID,
                        receivedAt: Timestamp(unixSeconds: row[1]),
                        status: row[2],
                        body: Array(row[3] as Data),
                        jws: row[4],
                        ministryTrust: row[5]
                    ),
                    verdict: verdict
                )
            }
        }
    }
}
