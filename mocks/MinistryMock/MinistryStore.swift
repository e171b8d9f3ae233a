import Foundation
import GRDB
import TaxLinkCore

/// A batch as stored: its digest, its signed receipt, and whether it is still processing.
struct StoredBatch: Sendable {
    var batchID: String
    /// Lower-case hex SHA-256 of the body as received.
    var bodySHA256: String
    /// The exact receipt bytes sent (and re-sent on every replay).
    var receipt: [UInt8]
    /// The ministry's JWS over ``receipt``.
    var receiptSignature: String
    /// Whether the batch was answered `202` and has not been reported processed yet.
    var processing: Bool
}

/// What admitting a batch did.
enum AdmitOutcome: Sendable {
    /// The batch is new; its records were judged and the accepted ones stored.
    case created(StoredBatch, accepted: Int, rejected: [RejectionCode])
    /// A batch with this id was already stored (a retry, or a conflict when the digest differs).
    case existing(StoredBatch)
}

/// When a batch answered `202` becomes processed.
struct PendingProcessing: Sendable {
    /// Polls still answered `202`; `nil` when polls alone never finish it.
    var pollsRemaining: Int?
    /// When it is processed, in Unix milliseconds; `nil` when time alone never finishes it.
    var readyAtMilliseconds: Int64?
}

/// The mock ministry's durable state in SQLite (GRDB, WAL): batches with their receipts, and the
/// accepted `(record_id, revision)` pairs.
struct MinistryStore: Sendable {
    private let pool: DatabasePool

    /// Opens (and creates or migrates) the database at `path`, creating its folder when missing.
    init(path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: batches, records") { db in
            try db.execute(
                sql: """
                    CREATE TABLE batch (
                        batch_id TEXT PRIMARY KEY NOT NULL,
                        receipt_number INTEGER NOT NULL UNIQUE,
                        body_sha256 TEXT NOT NULL,
                        sender_id TEXT NOT NULL,
                        received_at TEXT NOT NULL,
                        receipt BLOB NOT NULL,
                        receipt_signature TEXT NOT NULL,
                        processing INTEGER NOT NULL,
                        polls_remaining INTEGER,
                        ready_at_ms INTEGER
                    );
                    CREATE TABLE record (
                        record_id TEXT NOT NULL,
                        revision INTEGER NOT NULL,
                        batch_id TEXT NOT NULL REFERENCES batch(batch_id),
                        PRIMARY KEY (record_id, revision)
                    );
                    """
            )
        }
        return migrator
    }

    /// The stored batch `batchID`, if any.
    func batch(_ batchID: String) async throws -> StoredBatch? {
        try await pool.read { db in try Self.fetch(db, batchID) }
    }

    /// Judges the records that passed the stateless checks against what was accepted before
    /// (`DUPLICATE_RECORD`, `STALE_REVISION`), stores the accepted ones and the batch with its
    /// signed receipt, all in one transaction. When the batch id is already stored, changes nothing.
    ///
    /// - Parameter makeReceipt: builds and signs the receipt from its number and the judgements.
    func admit(
        batchID: String,
        bodySHA256: String,
        senderID: String,
        receivedAt: Timestamp,
        verdicts: [RecordVerdict],
        pending: PendingProcessing?,
        makeReceipt:
            @escaping @Sendable (_ number: Int64, _ accepted: Int, _ rejected: [(String, Rejection)]) throws
            -> (bytes: [UInt8], signature: String)
    ) async throws -> AdmitOutcome {
        try await pool.write { db in
            if let existing = try Self.fetch(db, batchID) { return .existing(existing) }
            var acceptedPairs: [(String, Int64)] = []
            var acceptedInBatch: [String: Set<Int64>] = [:]
            var rejected: [(String, Rejection)] = []
            for verdict in verdicts {
                if let rejection = verdict.rejection {
                    rejected.append((verdict.recordID, rejection))
                    continue
                }
                guard let revision = verdict.revision else { continue }
                let id = verdict.recordID
                if let rejection = try Self.crossBatchRejection(db, id, revision, batchID, acceptedInBatch[id] ?? []) {
                    rejected.append((id, rejection))
                } else {
                    acceptedPairs.append((id, revision))
                    acceptedInBatch[id, default: []].insert(revision)
                }
            }
            let number = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(receipt_number), 0) + 1 FROM batch") ?? 1
            let receipt = try makeReceipt(number, acceptedPairs.count, rejected)
            try db.execute(
                sql: """
                    INSERT INTO batch (batch_id, receipt_number, body_sha256, sender_id, received_at, receipt,
                        receipt_signature, processing, polls_remaining, ready_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    batchID, number, bodySHA256, senderID, receivedAt.iso8601, Data(receipt.bytes), receipt.signature,
                    pending != nil, pending?.pollsRemaining, pending?.readyAtMilliseconds,
                ]
            )
            let insert = try db.cachedStatement(
                sql: "INSERT INTO record (record_id, revision, batch_id) VALUES (?, ?, ?)"
            )
            for (id, revision) in acceptedPairs {
                try insert.execute(arguments: [id, revision, batchID])
            }
            let stored = StoredBatch(
                batchID: batchID,
                bodySHA256: bodySHA256,
                receipt: receipt.bytes,
                receiptSignature: receipt.signature,
                processing: pending != nil
            )
            return .created(stored, accepted: acceptedPairs.count, rejected: rejected.map(\.1.code))
        }
    }

    /// Answers a poll of a batch: counts the poll and reports it processed once its time has come.
    func poll(_ batchID: String, nowMilliseconds: Int64) async throws -> StoredBatch? {
        try await pool.write { db in
            guard var stored = try Self.fetch(db, batchID) else { return nil }
            guard stored.processing else { return stored }
            let row = try Row.fetchOne(
                db,
                sql: "SELECT polls_remaining, ready_at_ms FROM batch WHERE batch_id = ?",
                arguments: [batchID]
            )
            let polls: Int? = row?["polls_remaining"]
            let readyAt: Int64? = row?["ready_at_ms"]
            let byPolls = polls.map { $0 <= 0 } ?? false
            let byTime = readyAt.map { nowMilliseconds >= $0 } ?? false
            if byPolls || byTime || (polls == nil && readyAt == nil) {
                try db.execute(sql: "UPDATE batch SET processing = 0 WHERE batch_id = ?", arguments: [batchID])
                stored.processing = false
            } else if let polls {
                try db.execute(
                    sql: "UPDATE batch SET polls_remaining = ? WHERE batch_id = ?",
                    arguments: [polls - 1, batchID]
                )
            }
            return stored
        }
    }

    private static func fetch(_ db: Database, _ batchID: String) throws -> StoredBatch? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT body_sha256, receipt, receipt_signature, processing FROM batch WHERE batch_id = ?",
                arguments: [batchID]
            )
        else { return nil }
        let receipt: Data = row["receipt"]
        return StoredBatch(
            batchID: batchID,
            bodySHA256: row["body_sha256"],
            receipt: Array(receipt),
            receiptSignature: row["receipt_signature"],
            processing: row["processing"]
        )
    }

    private static func crossBatchRejection(
        _ db: Database,
        _ recordID: String,
        _ revision: Int64,
        _ batchID: String,
        _ inBatch: Set<Int64>
    ) throws -> Rejection? {
        let earlier = try String.fetchOne(
            db.cachedStatement(sql: "SELECT batch_id FROM record WHERE record_id = ? AND revision = ?"),
            arguments: [recordID, revision]
        )
        if let earlier {
            return Rejection(
                code: .duplicateRecord,
                message: "\(recordID) revision \(revision) was already accepted in batch \(earlier)"
            )
        }
        if inBatch.contains(revision) {
            return Rejection(
                code: .duplicateRecord,
                message: "\(recordID) revision \(revision) appears more than once in batch \(batchID)"
            )
        }
        let stored = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(revision) FROM record WHERE record_id = ?"),
            arguments: [recordID]
        )
        let highest = max(stored ?? 0, inBatch.max() ?? 0)
        if highest > revision {
            return Rejection(
                code: .staleRevision,
                message: "\(recordID) revision \(highest) was already accepted; revision \(revision) is stale"
            )
        }
        return nil
    }
}
