import NIOCore
import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    public func batches(state: BatchState?, limit: Int) async throws -> [OutboxBatch] {
        let limit = Self.rowLimit(limit)
        return try await withConnection { connection in
            let query: PostgresQuery =
                if let state {
                    """
                    SELECT \(unescaped: Self.batchColumns) FROM batches WHERE state = \(state.rawValue)
                    ORDER BY seq LIMIT \(limit)
                    """
                } else {
                    "SELECT \(unescaped: Self.batchColumns) FROM batches ORDER BY seq LIMIT \(limit)"
                }
            return try await connection.outboxRows(query).map(Self.decodeBatch)
        }
    }

    public func batch(id: String) async throws -> OutboxBatch? {
        try await withConnection { connection in
            try await connection.outboxRows("SELECT \(unescaped: Self.batchColumns) FROM batches WHERE id = \(id)")
                .first.map(Self.decodeBatch)
        }
    }

    public func attempts(batchID: String) async throws -> [BatchAttempt] {
        try await withConnection { connection in
            try await connection.outboxRows(
                "SELECT at, status, error, next_wait FROM batch_attempts WHERE batch_id = \(batchID) ORDER BY number"
            ).map { row in
                let (at, status, error, nextWait) = try row.decode((Int64, Int?, String?, Double?).self)
                return BatchAttempt(at: Timestamp(unixSeconds: at), status: status, error: error, nextWait: nextWait)
            }
        }
    }

    public func outboxStatus(now: Timestamp) async throws -> OutboxStatus {
        try await withConnection { connection in
            var states: [BatchState: OutboxStatus.StateFigures] = [:]
            for row in try await connection.outboxRows(
                """
                SELECT state, COUNT(*), COALESCE(SUM(record_count), 0)::bigint, MIN(state_since)
                FROM batches GROUP BY state
                """
            ) {
                let (name, count, records, oldest) = try row.decode((String, Int, Int, Int64?).self)
                guard let state = BatchState(rawValue: name) else { continue }
                states[state] = OutboxStatus.StateFigures(
                    count: count,
                    records: records,
                    oldestAgeSeconds: oldest.map { now.seconds &- $0 }
                )
            }
            let figures = try await connection.outboxRows(
                """
                SELECT
                    (SELECT COUNT(*) FROM records WHERE is_latest AND status = 'ready' AND batch_id IS NULL),
                    (SELECT error FROM batch_attempts WHERE error IS NOT NULL ORDER BY at DESC, number DESC LIMIT 1),
                    (SELECT MIN(next_attempt_at) FROM batches WHERE state IN ('sealed', 'retry_wait', 'processing'))
                """
            ).first
            let (unsealed, lastError, next) = try figures?.decode((Int, String?, Int64?).self) ?? (0, nil, nil)
            return OutboxStatus(
                states: states,
                unsealedRecords: unsealed,
                lastError: lastError,
                nextAttemptAt: next.map(Timestamp.init(unixSeconds:))
            )
        }
    }

    public func retryNow(batchID: String, now: Timestamp) async throws -> Bool {
        try await withConnection { connection in
            try await connection.outboxRows(
                """
                UPDATE batches SET next_attempt_at = \(now.seconds), state_since = \(now.seconds),
                    attempts_before_requeue = CASE state WHEN 'dead' THEN attempts ELSE attempts_before_requeue END,
                    requeued_at = CASE state WHEN 'dead' THEN \(now.seconds) ELSE requeued_at END,
                    state = 'retry_wait'
                WHERE id = \(batchID) AND state IN ('retry_wait', 'dead', 'sealed')
                RETURNING id
                """
            ).count == 1
        }
    }

    public func requeueDead(limit: Int, now: Timestamp) async throws -> [String] {
        try await withConnection { connection in
            try await connection.outboxRows(
                """
                WITH dead AS (
                    SELECT id FROM batches WHERE state = 'dead' ORDER BY seq LIMIT \(Self.rowLimit(limit))
                    FOR UPDATE SKIP LOCKED
                ), requeued AS (
                    UPDATE batches SET state = 'retry_wait', next_attempt_at = \(now.seconds), state_since = \(now.seconds),
                        attempts_before_requeue = attempts, requeued_at = \(now.seconds)
                    FROM dead WHERE batches.id = dead.id
                    RETURNING batches.id, batches.seq
                )
                SELECT id FROM requeued ORDER BY seq
                """
            ).map { try $0.decode(String.self) }
        }
    }

    /// The columns ``decodeBatch(_:)`` reads, in its order.
    static let batchColumns = """
        id, state, body, body_sha256, jws, record_count, created_at, attempts, next_attempt_at, first_attempt_at,
        last_error, receipt, receipt_jws, delivered_at, parent_id, signing_chain, attempts_before_requeue, requeued_at
        """

    /// A batch from a row of ``batchColumns``; an unknown state reads as `dead`, as in SQLite.
    static func decodeBatch(_ row: PostgresRow) throws -> OutboxBatch {
        let (
            id, state, body, bodySHA256, jws, recordCount, createdAt, attempts, next, first, lastError, receipt,
            receiptJWS, deliveredAt, parentID, signingChain, attemptsBeforeRequeue, requeuedAt
        ) = try row.decode(
            (
                String, String, ByteBuffer, String, String, Int, Int64, Int, Int64?, Int64?, String?, ByteBuffer?,
                String?, Int64?, String?, String?, Int, Int64?
            ).self
        )
        func time(_ seconds: Int64?) -> Timestamp? { seconds.map(Timestamp.init(unixSeconds:)) }
        return OutboxBatch(
            id: id,
            state: BatchState(rawValue: state) ?? .dead,
            body: Array(body.readableBytesView),
            bodySHA256: bodySHA256,
            jws: jws,
            recordCount: recordCount,
            createdAt: Timestamp(unixSeconds: createdAt),
            attempts: attempts,
            nextAttemptAt: time(next),
            firstAttemptAt: time(first),
            lastError: lastError,
            receipt: receipt.map { Array($0.readableBytesView) },
            receiptJWS: receiptJWS,
            deliveredAt: time(deliveredAt),
            parentID: parentID,
            signingChain: signingChain,
            attemptsBeforeRequeue: attemptsBeforeRequeue,
            requeuedAt: time(requeuedAt)
        )
    }
}
