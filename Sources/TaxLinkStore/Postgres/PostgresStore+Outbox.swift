import NIOCore
import PostgresNIO
import TaxLinkCore

/// The outbox on PostgreSQL, method for method the SQLite store's: sealing here, claims and attempts
/// in `+OutboxClaims`, reading and requeueing in `+OutboxBatches`, receipts in `+OutboxReceipts`.
extension PostgresStore: OutboxStorage {
    public func unsealedRecords(limit: Int) async throws -> [StoredRecord] {
        try await withConnection { connection in
            try await connection.outboxRows(
                """
                SELECT record_id, revision, body FROM records
                WHERE is_latest AND status = 'ready' AND batch_id IS NULL
                ORDER BY received_at, record_id LIMIT \(Self.rowLimit(limit))
                """
            ).map { row in
                let (recordID, revision, body) = try row.decode((String, Int, String).self)
                return StoredRecord(recordID: recordID, revision: revision, body: body, quarantined: false)
            }
        }
    }

    public func insertBatch(_ batch: SealedBatch) async throws {
        try await withTransaction { connection in try await Self.insert(batch, on: connection) }
    }

    /// Stores `batch` and marks its records sealed, in the caller's transaction: one statement for
    /// the batch, one for all its members, one for all its records.
    ///
    /// Members go in sorted, so two sealers racing on overlapping records wait on the same key first
    /// instead of deadlocking; a member whose key another batch holds (or holds in a transaction
    /// still open, which this waits for) is skipped, and a short count is ``OutboxStorageError/alreadySealed``.
    static func insert(_ batch: SealedBatch, on connection: PostgresConnection) async throws {
        let createdAt = batch.createdAt.seconds
        try await connection.outboxExecute(
            """
            INSERT INTO batches (id, state, body, body_sha256, jws, record_count, created_at, next_attempt_at,
                state_since, parent_id, signing_chain)
            VALUES (\(batch.id), 'sealed', \(ByteBuffer(bytes: batch.body)), \(batch.bodySHA256), \(batch.jws),
                \(batch.members.count), \(createdAt), \(createdAt), \(createdAt), \(batch.parentID), \(batch.signingChain))
            """
        )
        let members = batch.members.sorted {
            $0.recordID.utf8.lexicographicallyPrecedes($1.recordID.utf8)
                || ($0.recordID == $1.recordID && $0.revision < $1.revision)
        }
        let recordIDs = members.map(\.recordID)
        let revisions = members.map(\.revision)
        let taken = try await connection.outboxRows(
            """
            INSERT INTO batch_records (record_id, revision, batch_id)
            SELECT member.record_id, member.revision, \(batch.id)
            FROM unnest(\(recordIDs)::text[], \(revisions)::bigint[]) WITH ORDINALITY AS member(record_id, revision, n)
            ORDER BY member.n
            ON CONFLICT DO NOTHING
            RETURNING record_id
            """
        )
        guard taken.count == members.count else { throw OutboxStorageError.alreadySealed }
        try await connection.outboxExecute(
            """
            UPDATE records SET batch_id = \(batch.id)
            FROM unnest(\(recordIDs)::text[], \(revisions)::bigint[]) AS member(record_id, revision)
            WHERE records.record_id = member.record_id AND records.revision = member.revision
            """
        )
    }

    public func ministryRejections() async throws -> [MinistryRejection] {
        try await withConnection { connection in
            try await connection.outboxRows(
                "SELECT batch_id, record_id, revision, code, message FROM ministry_rejections ORDER BY batch_id, record_id"
            ).map { row in
                let (batchID, recordID, revision, code, message) = try row.decode(
                    (String, String, Int?, String, String).self
                )
                return MinistryRejection(
                    batchID: batchID,
                    recordID: recordID,
                    revision: revision,
                    code: code,
                    message: message
                )
            }
        }
    }

    /// A `LIMIT` bound: a negative limit means no limit, as in SQLite.
    static func rowLimit(_ limit: Int) -> Int? {
        limit < 0 ? nil : limit
    }
}

extension PostgresConnection {
    /// Runs `query` and collects its rows (the outbox's statements return a bounded number of rows).
    func outboxRows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    /// Runs a statement that returns no rows.
    func outboxExecute(_ query: PostgresQuery) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}
