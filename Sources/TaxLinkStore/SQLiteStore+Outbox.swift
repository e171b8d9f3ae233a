import Foundation
import GRDB
import TaxLinkCore

extension SQLiteStore: OutboxStorage {
    public func unsealedRecords(limit: Int) async throws -> [StoredRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.unsealedRecordsSQL, arguments: [limit]).map {
                StoredRecord(recordID: $0[0], revision: $0[1], body: $0[2], quarantined: false)
            }
        }
    }

    public func insertBatch(_ batch: SealedBatch) async throws {
        try await pool.write { db in try Self.insert(batch, db: db) }
    }

    static func insert(_ batch: SealedBatch, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO batches (id, state, body, body_sha256, jws, record_count, created_at, next_attempt_at,
                    state_since, parent_id, signing_chain)
                VALUES (?, 'sealed', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                batch.id, Data(batch.body), batch.bodySHA256, batch.jws, batch.members.count, batch.createdAt.seconds,
                batch.createdAt.seconds, batch.createdAt.seconds, batch.parentID, batch.signingChain,
            ]
        )
        let member = try db.cachedStatement(
            sql: "INSERT INTO batch_records (record_id, revision, batch_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
        )
        let mark = try db.cachedStatement(sql: "UPDATE records SET batch_id = ? WHERE record_id = ? AND revision = ?")
        for record in batch.members {
            try member.execute(arguments: [record.recordID, record.revision, batch.id])
            guard db.changesCount == 1 else { throw OutboxStorageError.alreadySealed }
            try mark.execute(arguments: [batch.id, record.recordID, record.revision])
        }
    }

    public func claimDueBatches(
        owner: String,
        now: Timestamp,
        leaseSeconds: Int64,
        limit: Int
    ) async throws -> [OutboxBatch] {
        try await pool.write { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM batches
                    WHERE (state IN ('sealed', 'retry_wait', 'processing') AND next_attempt_at <= ?
                            AND (lease_until IS NULL OR lease_until < ?))
                       OR (state = 'sending' AND lease_until < ?)
                    ORDER BY next_attempt_at, seq LIMIT ?
                    """,
                arguments: [now.seconds, now.seconds, now.seconds, limit]
            )
            var claimed: [OutboxBatch] = []
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE batches SET lease_owner = ?, lease_until = ?,
                            state = CASE state WHEN 'processing' THEN 'processing' ELSE 'sending' END,
                            state_since = CASE state WHEN 'sending' THEN state_since ELSE ? END
                        WHERE id = ?
                        """,
                    arguments: [owner, now.seconds + leaseSeconds, now.seconds, id]
                )
                if let batch = try Self.fetchBatch(id: id, db: db) { claimed.append(batch) }
            }
            return claimed
        }
    }

    @discardableResult
    public func finishAttempt(
        batchID: String,
        owner: String,
        attempt: BatchAttempt,
        transition: BatchTransition
    ) async throws -> Bool {
        try await pool.write { db in
            guard
                try String.fetchOne(db, sql: "SELECT lease_owner FROM batches WHERE id = ?", arguments: [batchID])
                    == owner
            else { return false }
            // The number follows the last one recorded, whatever the counter says, so the history is never
            // overwritten and never collides (databases whose counter an older requeue reset recover here).
            let number =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COALESCE(MAX(number), 0) + 1 FROM batch_attempts WHERE batch_id = ?",
                    arguments: [batchID]
                ) ?? 1
            try db.execute(
                sql: """
                    INSERT INTO batch_attempts (batch_id, number, at, status, error, next_wait)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [batchID, number, attempt.at.seconds, attempt.status, attempt.error, attempt.nextWait]
            )
            try db.execute(
                sql: """
                    UPDATE batches SET attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?),
                        lease_owner = NULL, lease_until = NULL, last_error = COALESCE(?, last_error)
                    WHERE id = ?
                    """,
                arguments: [number, attempt.at.seconds, attempt.error, batchID]
            )
            try Self.apply(transition, batchID: batchID, now: attempt.at, db: db)
            return true
        }
    }

    private static func apply(_ transition: BatchTransition, batchID: String, now: Timestamp, db: Database) throws {
        func move(_ state: BatchState, next: Timestamp? = nil) throws {
            try db.execute(
                sql: "UPDATE batches SET state = ?, next_attempt_at = ?, state_since = ? WHERE id = ?",
                arguments: [state.rawValue, next?.seconds, now.seconds, batchID]
            )
        }
        switch transition {
        case .delivered(let receipt, let receiptJWS, let rejections, let at):
            try db.execute(
                sql: "UPDATE batches SET receipt = ?, receipt_jws = ?, delivered_at = ? WHERE id = ?",
                arguments: [Data(receipt), receiptJWS, at.seconds, batchID]
            )
            try move(.delivered)
            for rejection in rejections {
                try db.execute(
                    sql: """
                        INSERT INTO ministry_rejections (batch_id, record_id, revision, code, message) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """,
                    arguments: [batchID, rejection.recordID, rejection.revision, rejection.code, rejection.message]
                )
            }
        case .retry(let at, _):
            try move(.retryWait, next: at)
        case .processing(let pollAt):
            try move(.processing, next: pollAt)
        case .dead(let reason):
            try db.execute(sql: "UPDATE batches SET last_error = ? WHERE id = ?", arguments: [reason, batchID])
            try move(.dead)
        case .split(let parts):
            try db.execute(sql: "DELETE FROM batch_records WHERE batch_id = ?", arguments: [batchID])
            try db.execute(sql: "UPDATE records SET batch_id = NULL WHERE batch_id = ?", arguments: [batchID])
            for part in parts { try insert(part, db: db) }
            try move(.split)
        }
    }

    public func batches(state: BatchState?, limit: Int) async throws -> [OutboxBatch] {
        try await pool.read { db in
            let ids = try String.fetchAll(
                db,
                sql: "SELECT id FROM batches WHERE ? IS NULL OR state = ? ORDER BY seq LIMIT ?",
                arguments: [state?.rawValue, state?.rawValue, limit]
            )
            return try ids.compactMap { try Self.fetchBatch(id: $0, db: db) }
        }
    }

    public func batch(id: String) async throws -> OutboxBatch? {
        try await pool.read { db in try Self.fetchBatch(id: id, db: db) }
    }

    private static func fetchBatch(id: String, db: Database) throws -> OutboxBatch? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [id]) else {
            return nil
        }
        func time(_ column: String) -> Timestamp? { (row[column] as Int64?).map(Timestamp.init(unixSeconds:)) }
        return OutboxBatch(
            id: row["id"],
            state: BatchState(rawValue: row["state"]) ?? .dead,
            body: Array(row["body"] as Data),
            bodySHA256: row["body_sha256"],
            jws: row["jws"],
            recordCount: row["record_count"],
            createdAt: Timestamp(unixSeconds: row["created_at"]),
            attempts: row["attempts"],
            nextAttemptAt: time("next_attempt_at"),
            firstAttemptAt: time("first_attempt_at"),
            lastError: row["last_error"],
            receipt: (row["receipt"] as Data?).map { Array($0) },
            receiptJWS: row["receipt_jws"],
            deliveredAt: time("delivered_at"),
            parentID: row["parent_id"],
            signingChain: row["signing_chain"],
            attemptsBeforeRequeue: row["attempts_before_requeue"],
            requeuedAt: time("requeued_at")
        )
    }

    public func attempts(batchID: String) async throws -> [BatchAttempt] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT at, status, error, next_wait FROM batch_attempts WHERE batch_id = ? ORDER BY number",
                arguments: [batchID]
            ).map {
                BatchAttempt(at: Timestamp(unixSeconds: $0[0]), status: $0[1], error: $0[2], nextWait: $0[3])
            }
        }
    }

    public func outboxStatus(now: Timestamp) async throws -> OutboxStatus {
        try await pool.read { db in
            var states: [BatchState: OutboxStatus.StateFigures] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT state, COUNT(*), SUM(record_count), MIN(state_since) FROM batches GROUP BY state"
            ) {
                guard let state = BatchState(rawValue: row[0]) else { continue }
                states[state] = OutboxStatus.StateFigures(
                    count: row[1],
                    records: row[2] ?? 0,
                    oldestAgeSeconds: (row[3] as Int64?).map { now.seconds - $0 }
                )
            }
            let unsealed =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM records WHERE is_latest = 1 AND status = 'ready' AND batch_id IS NULL"
                )
                ?? 0
            let lastError = try String.fetchOne(
                db,
                sql: "SELECT error FROM batch_attempts WHERE error IS NOT NULL ORDER BY at DESC, number DESC LIMIT 1"
            )
            let next = try Int64.fetchOne(
                db,
                sql: "SELECT MIN(next_attempt_at) FROM batches WHERE state IN ('sealed', 'retry_wait', 'processing')"
            )
            return OutboxStatus(
                states: states,
                unsealedRecords: unsealed,
                lastError: lastError,
                nextAttemptAt: next.map(Timestamp.init(unixSeconds:))
            )
        }
    }

    public func retryNow(batchID: String, now: Timestamp) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE batches SET next_attempt_at = ?, state_since = ?,
                        attempts_before_requeue = CASE state WHEN 'dead' THEN attempts ELSE attempts_before_requeue END,
                        requeued_at = CASE state WHEN 'dead' THEN ? ELSE requeued_at END,
                        state = 'retry_wait'
                    WHERE id = ? AND state IN ('retry_wait', 'dead', 'sealed')
                    """,
                arguments: [now.seconds, now.seconds, now.seconds, batchID]
            )
            return db.changesCount == 1
        }
    }

    public func requeueDead(limit: Int, now: Timestamp) async throws -> [String] {
        try await pool.write { db in
            let ids = try String.fetchAll(
                db,
                sql: "SELECT id FROM batches WHERE state = 'dead' ORDER BY seq LIMIT ?",
                arguments: [limit]
            )
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE batches SET state = 'retry_wait', next_attempt_at = ?, state_since = ?,
                            attempts_before_requeue = attempts, requeued_at = ?
                        WHERE id = ?
                        """,
                    arguments: [now.seconds, now.seconds, now.seconds, id]
                )
            }
            return ids
        }
    }

    public func ministryRejections() async throws -> [MinistryRejection] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT batch_id, record_id, revision, code, message FROM ministry_rejections ORDER BY batch_id, record_id"
            ).map { MinistryRejection(batchID: $0[0], recordID: $0[1], revision: $0[2], code: $0[3], message: $0[4]) }
        }
    }
}
