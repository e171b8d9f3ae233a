import Logging
import PostgresNIO
import TaxLinkCore

extension PostgresStore: FindingsStorage {
    public func findingVersions() async throws -> [String: FindingVersion] {
        try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT id, fingerprint, status, resolution, active, detected_at, updated_at FROM findings",
                logger: logger
            )
            var versions: [String: FindingVersion] = [:]
            for try await (id, fingerprint, status, resolution, active, detected, updated) in rows.decode(
                (String, String, String, String?, Bool, Int64, Int64).self
            ) {
                versions[id] = FindingVersion(
                    fingerprint: fingerprint,
                    workflow: FindingWorkflowRow(
                        status: status,
                        resolution: resolution,
                        active: active,
                        detectedAt: Timestamp(unixSeconds: detected),
                        updatedAt: Timestamp(unixSeconds: updated)
                    )
                )
            }
            return versions
        }
    }

    /// One statement per write, in order, in one transaction; a write that changes no row (an insert
    /// whose id is stored, an update whose finding is no longer `expected`) rolls all of them back.
    public func applyFindingWrites(_ writes: [FindingWrite]) async throws {
        guard !writes.isEmpty else { return }
        try await withTransaction { connection in
            for write in writes {
                let changed: Bool
                let entry: FindingHistoryRow?
                switch write {
                case .insert(let content, let workflow, let history):
                    changed = try await Self.insertFinding(content, workflow, on: connection, logger: logger)
                    entry = history
                case .update(let id, let expected, let content, let workflow, let history):
                    changed = try await Self.updateFinding(
                        id: id,
                        expected: expected,
                        content: content,
                        workflow: workflow,
                        on: connection,
                        logger: logger
                    )
                    entry = history
                }
                guard changed else { throw FindingsStorageError.conflict(write.id) }
                if let entry {
                    try await connection.query(
                        """
                        INSERT INTO finding_history (finding_id, at, from_status, to_status, actor, note, reason)
                        VALUES (\(write.id), \(entry.at.seconds), \(entry.fromStatus), \(entry.toStatus), \(entry.actor),
                            \(entry.note), \(entry.reason))
                        """,
                        logger: logger
                    )
                }
            }
        }
    }

    private static func insertFinding(
        _ content: FindingContentRow,
        _ workflow: FindingWorkflowRow,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO findings (id, code, scope, severity, platform, tax_period, platform_seller_id, category, tax_id,
                record_id, external_id, revision, expected, actual, amount_at_risk, detail, fingerprint,
                status, resolution, active, detected_at, updated_at)
            VALUES (\(content.id), \(content.code), \(content.scope), \(content.severity), \(content.platform),
                \(content.taxPeriod), \(content.platformSellerID), \(content.category), \(content.taxID),
                \(content.recordID), \(content.externalID), \(content.revision.map(Int64.init)), \(content.expected),
                \(content.actual), \(content.amountAtRisk), \(content.detail), \(content.fingerprint),
                \(workflow.status), \(workflow.resolution), \(workflow.active), \(workflow.detectedAt.seconds),
                \(workflow.updatedAt.seconds))
            ON CONFLICT (id) DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        return try await rows.collect().count == 1
    }

    /// Sets the workflow columns (and the content columns, when given) of finding `id` if its stored
    /// fingerprint and workflow columns are still exactly `expected`'s: the row is locked while it is
    /// compared, so no other writer changes it in between.
    private static func updateFinding(
        id: String,
        expected: FindingVersion,
        content: FindingContentRow?,
        workflow: FindingWorkflowRow,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Bool {
        let was = expected.workflow
        let unchanged = try await connection.query(
            """
            SELECT 1 FROM findings
            WHERE id = \(id) AND fingerprint = \(expected.fingerprint) AND status = \(was.status)
                AND resolution IS NOT DISTINCT FROM \(was.resolution) AND active = \(was.active)
                AND detected_at = \(was.detectedAt.seconds) AND updated_at = \(was.updatedAt.seconds)
            FOR UPDATE
            """,
            logger: logger
        )
        guard try await unchanged.collect().count == 1 else { return false }
        if let content {
            try await connection.query(
                """
                UPDATE findings SET code = \(content.code), scope = \(content.scope), severity = \(content.severity),
                    platform = \(content.platform), tax_period = \(content.taxPeriod),
                    platform_seller_id = \(content.platformSellerID), category = \(content.category),
                    tax_id = \(content.taxID), record_id = \(content.recordID), external_id = \(content.externalID),
                    revision = \(content.revision.map(Int64.init)), expected = \(content.expected),
                    actual = \(content.actual), amount_at_risk = \(content.amountAtRisk), detail = \(content.detail),
                    fingerprint = \(content.fingerprint)
                WHERE id = \(id)
                """,
                logger: logger
            )
        }
        try await connection.query(
            """
            UPDATE findings SET status = \(workflow.status), resolution = \(workflow.resolution),
                active = \(workflow.active), detected_at = \(workflow.detectedAt.seconds),
                updated_at = \(workflow.updatedAt.seconds)
            WHERE id = \(id)
            """,
            logger: logger
        )
        return true
    }

    public func releaseQuarantinedRecords(_ records: [RecordRevision]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try await withTransaction { connection in
            let rows = try await connection.query(
                """
                UPDATE records SET status = 'ready'
                FROM unnest(\(records.map(\.recordID))::text[], \(records.map { Int64($0.revision) })::bigint[])
                    AS released(record_id, revision)
                WHERE records.record_id = released.record_id AND records.revision = released.revision
                    AND records.is_latest AND records.status = 'quarantined'
                RETURNING 1
                """,
                logger: logger
            )
            return try await rows.collect().count
        }
    }
}
