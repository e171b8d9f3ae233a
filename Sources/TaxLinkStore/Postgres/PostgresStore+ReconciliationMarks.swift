import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    public func setReconciliationMark(_ mark: ReconciliationMark?) async throws {
        try await withConnection { connection in
            guard let mark else {
                try await connection.query("DELETE FROM reconciliation_marks WHERE name = 'reconcile'", logger: logger)
                return
            }
            try await connection.query(
                """
                INSERT INTO reconciliation_marks (name, inputs, as_of, summary)
                VALUES ('reconcile', \(mark.inputs), \(mark.asOf.seconds), \(mark.summary))
                ON CONFLICT (name) DO UPDATE SET
                    inputs = excluded.inputs, as_of = excluded.as_of, summary = excluded.summary
                """,
                logger: logger
            )
        }
    }
}

extension PostgresReconciliationSnapshot {
    func inputStamp() throws -> String {
        let rows = try rows { [self] in
            try await connection.query(
                """
                SELECT (SELECT count(*) FROM feeds WHERE status = 'complete'),
                    (SELECT coalesce(max(seq), 0) FROM feeds WHERE status = 'complete'),
                    (SELECT count(*) FROM return_claims WHERE resolved),
                    (SELECT count(*) FROM ministry_rejections)
                """,
                logger: logger
            )
        }
        guard let row = rows.first else { return "" }
        let (feeds, highest, resolved, rejections) = try row.decode((Int64, Int64, Int64, Int64).self)
        return "feeds \(feeds) to \(highest), resolved returns \(resolved), rejections \(rejections)"
    }

    func reconciliationMark() throws -> ReconciliationMark? {
        let rows = try rows { [self] in
            try await connection.query(
                "SELECT inputs, as_of, summary FROM reconciliation_marks WHERE name = 'reconcile'",
                logger: logger
            )
        }
        guard let row = rows.first else { return nil }
        let (inputs, asOf, summary) = try row.decode((String, Int64, String).self)
        return ReconciliationMark(inputs: inputs, asOf: Timestamp(unixSeconds: asOf), summary: summary)
    }

    func hasUnsettledSales(completedFrom from: Int64, before to: Int64) throws -> Bool {
        let rows = try rows { [self] in
            try await connection.query(
                """
                SELECT EXISTS (
                    SELECT 1 FROM records r
                    WHERE r.is_latest AND r.kind = 'sale' AND NOT r.cod AND r.occurred_at >= \(from)
                        AND r.occurred_at < \(to)
                        AND NOT EXISTS (SELECT 1 FROM settlements s WHERE s.platform = r.platform AND s.order_id = r.external_id)
                )
                """,
                logger: logger
            )
        }
        return try rows.first?.decode(Bool.self) ?? true
    }
}
