import PostgresNIO
import TaxLinkCore

extension PostgresRecordWriter {
    /// Gateway settlements, in one statement; a transaction number stored before (by any feed, or
    /// earlier in this chunk) is a duplicate.
    func store(_ settlements: [Settlement]) async throws -> IngestCounts {
        guard !settlements.isEmpty else { return IngestCounts() }
        let inserted = try await connection.queryOnOpen(
            """
            INSERT INTO settlements (gateway, transaction_no, reference, platform, order_id, amount, paid_at, bank_code,
                feed_id)
            SELECT gateway, transaction_no, reference, platform, order_id, amount, paid_at, bank_code, \(feedID)
            FROM unnest(\(settlements.map(\.gateway))::text[], \(settlements.map(\.transactionNo))::text[],
                \(settlements.map(\.reference))::text[], \(settlements.map(\.platform))::text[],
                \(settlements.map(\.orderID))::text[], \(settlements.map(\.amount))::bigint[],
                \(settlements.map(\.paidAt.seconds))::bigint[], \(settlements.map(\.bankCode))::text[])
                WITH ORDINALITY AS s(gateway, transaction_no, reference, platform, order_id, amount, paid_at, bank_code, n)
            ORDER BY n
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        var accepted = 0
        for try await _ in inserted { accepted += 1 }
        return IngestCounts(accepted: accepted, duplicates: settlements.count - accepted)
    }

    /// A declaration: a new version for its platform and period unless identical to the latest.
    /// Two processes storing one at once meet on the key `(platform, tax_period, version)`: the
    /// second gets a unique violation and its part is written again, after the first's version.
    func store(_ declaration: Declaration, receivedAt: Timestamp) async throws -> IngestCounts {
        let rows = CanonicalJSON.string(declaration.rowsJSON)
        let period = declaration.period.description
        let latest = try await connection.queryOnOpen(
            """
            SELECT version, rows FROM declarations WHERE platform = \(declaration.platform) AND tax_period = \(period)
            ORDER BY version DESC LIMIT 1
            """,
            logger: logger
        )
        var previous: (version: Int, rows: String)?
        for try await (version, stored) in latest.decode((Int, String).self) { previous = (version, stored) }
        if let previous, previous.rows == rows { return IngestCounts(duplicates: declaration.rows.count) }
        let version = (previous?.version ?? 0) + 1
        try await connection.queryOnOpen(
            """
            INSERT INTO declarations (platform, tax_period, version, feed_id, received_at, rows)
            VALUES (\(declaration.platform), \(period), \(version), \(feedID), \(receivedAt.seconds), \(rows))
            """,
            logger: logger
        )
        return IngestCounts(accepted: declaration.rows.count, revised: version > 1 ? declaration.rows.count : 0)
    }

    /// Refused items, numbered in feed order from `ordinal`, in one statement.
    func storeRejections(_ rejected: [FeedSummary.Rejected], from ordinal: Int) async throws {
        guard !rejected.isEmpty else { return }
        try await connection.queryOnOpen(
            """
            INSERT INTO feed_rejections (feed_id, ordinal, item_index, line, external_id, code, reason)
            SELECT \(feedID), \(ordinal) + n - 1, item_index, line, external_id, code, reason
            FROM unnest(\(PostgresNullableArray(rejected.map(\.index)))::bigint[],
                \(PostgresNullableArray(rejected.map(\.line)))::bigint[],
                \(PostgresNullableArray(rejected.map(\.externalID)))::text[],
                \(PostgresNullableArray(rejected.map(\.code)))::text[], \(rejected.map(\.reason))::text[])
                WITH ORDINALITY AS r(item_index, line, external_id, code, reason, n)
            """,
            logger: logger
        )
    }
}
