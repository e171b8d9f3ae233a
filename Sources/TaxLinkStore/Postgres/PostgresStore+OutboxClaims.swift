import NIOCore
import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    /// One statement: the due batches are locked with `FOR UPDATE SKIP LOCKED` (a batch another
    /// process is claiming at the same moment is skipped, never handed out twice) and leased to `owner`.
    ///
    /// A batch left `sending` is due again once its lease has run out; a `processing` batch is due when
    /// its poll time has come and no live lease holds it.
    public func claimDueBatches(
        owner: String,
        now: Timestamp,
        leaseSeconds: Int64,
        limit: Int
    ) async throws -> [OutboxBatch] {
        let (leaseUntil, overflow) = now.seconds.addingReportingOverflow(leaseSeconds)
        let until = overflow ? Int64.max : leaseUntil
        return try await withConnection { connection in
            try await connection.outboxRows(
                """
                WITH due AS (
                    SELECT id FROM batches
                    WHERE (state IN ('sealed', 'retry_wait', 'processing') AND next_attempt_at <= \(now.seconds)
                            AND (lease_until IS NULL OR lease_until < \(now.seconds)))
                       OR (state = 'sending' AND lease_until < \(now.seconds))
                    ORDER BY next_attempt_at NULLS FIRST, seq LIMIT \(Self.rowLimit(limit))
                    FOR UPDATE SKIP LOCKED
                ), claimed AS (
                    UPDATE batches SET lease_owner = \(owner), lease_until = \(until),
                        state = CASE batches.state WHEN 'processing' THEN 'processing' ELSE 'sending' END,
                        state_since = CASE batches.state WHEN 'sending' THEN batches.state_since ELSE \(now.seconds) END
                    FROM due WHERE batches.id = due.id
                    RETURNING batches.*
                )
                SELECT \(unescaped: Self.batchColumns) FROM claimed ORDER BY next_attempt_at NULLS FIRST, seq
                """
            ).map(Self.decodeBatch)
        }
    }

    @discardableResult
    public func finishAttempt(
        batchID: String,
        owner: String,
        attempt: BatchAttempt,
        transition: BatchTransition
    ) async throws -> Bool {
        try await withTransaction { connection in
            let holder = try await connection.outboxRows(
                "SELECT lease_owner FROM batches WHERE id = \(batchID) FOR UPDATE"
            ).first.map { try $0.decode(String?.self) }
            guard holder == owner else { return false }
            // The number follows the last one recorded, whatever the counter says (as in SQLite).
            let at = attempt.at.seconds
            try await connection.outboxExecute(
                """
                WITH attempt AS (
                    INSERT INTO batch_attempts (batch_id, number, at, status, error, next_wait)
                    SELECT \(batchID), COALESCE(MAX(number), 0) + 1, \(at), \(attempt.status)::bigint, \(attempt.error)::text,
                        \(attempt.nextWait)::double precision
                    FROM batch_attempts WHERE batch_id = \(batchID)
                    RETURNING number
                )
                UPDATE batches SET attempts = attempt.number, first_attempt_at = COALESCE(first_attempt_at, \(at)),
                    lease_owner = NULL, lease_until = NULL, last_error = COALESCE(\(attempt.error)::text, last_error)
                FROM attempt WHERE batches.id = \(batchID)
                """
            )
            try await Self.apply(transition, batchID: batchID, now: attempt.at, on: connection)
            return true
        }
    }

    private static func apply(
        _ transition: BatchTransition,
        batchID: String,
        now: Timestamp,
        on connection: PostgresConnection
    ) async throws {
        func move(_ state: BatchState, next: Timestamp? = nil, lastError: String? = nil) async throws {
            try await connection.outboxExecute(
                """
                UPDATE batches SET state = \(state.rawValue), next_attempt_at = \(next?.seconds), state_since = \(now.seconds),
                    last_error = COALESCE(\(lastError)::text, last_error)
                WHERE id = \(batchID)
                """
            )
        }
        switch transition {
        case .delivered(let receipt, let receiptJWS, let rejections, let at):
            try await connection.outboxExecute(
                """
                UPDATE batches SET receipt = \(ByteBuffer(bytes: receipt)), receipt_jws = \(receiptJWS),
                    delivered_at = \(at.seconds)
                WHERE id = \(batchID)
                """
            )
            try await move(.delivered)
            try await insert(rejections, batchID: batchID, on: connection)
        case .retry(let at, _):
            try await move(.retryWait, next: at)
        case .processing(let pollAt):
            try await move(.processing, next: pollAt)
        case .dead(let reason):
            try await move(.dead, lastError: reason)
        case .split(let parts):
            try await connection.outboxExecute("DELETE FROM batch_records WHERE batch_id = \(batchID)")
            try await connection.outboxExecute("UPDATE records SET batch_id = NULL WHERE batch_id = \(batchID)")
            for part in parts { try await insert(part, on: connection) }
            try await move(.split)
        }
    }

    /// The rejections of a verified receipt, in one statement; a record already rejected in this batch is kept.
    private static func insert(
        _ rejections: [MinistryRejection],
        batchID: String,
        on connection: PostgresConnection
    ) async throws {
        guard !rejections.isEmpty else { return }
        let revisions = PostgresNullableArray(rejections.map(\.revision))
        try await connection.outboxExecute(
            """
            INSERT INTO ministry_rejections (batch_id, record_id, revision, code, message)
            SELECT \(batchID), rejection.record_id, rejection.revision, rejection.code, rejection.message
            FROM unnest(\(rejections.map(\.recordID))::text[], \(revisions)::bigint[], \(rejections.map(\.code))::text[],
                \(rejections.map(\.message))::text[]) WITH ORDINALITY AS rejection(record_id, revision, code, message, n)
            ORDER BY rejection.n
            ON CONFLICT DO NOTHING
            """
        )
    }
}
