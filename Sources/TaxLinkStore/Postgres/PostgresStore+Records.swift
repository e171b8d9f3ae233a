import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    /// Reads the matching records in pages of ``recordPage`` rows, keyset-paged on
    /// `(record_id, revision)`, one short query per page (no connection is held while `body` runs).
    public func forEachRecord(_ query: RecordQuery, _ body: (StoredRecord) throws -> Void) async throws {
        var after = (recordID: "", revision: 0)
        while true {
            let page = try await recordPage(query, after: after)
            for record in page { try body(record) }
            guard let last = page.last, page.count == Self.recordPage else { return }
            after = (last.recordID, last.revision)
        }
    }

    /// How many records one page of ``forEachRecord(_:_:)`` reads.
    static let recordPage = 2_000

    private func recordPage(_ query: RecordQuery, after: (recordID: String, revision: Int)) async throws
        -> [StoredRecord]
    {
        var sql: PostgresQuery = """
            SELECT record_id, revision, body, status FROM records
            WHERE (record_id, revision) > (\(after.recordID), \(after.revision))
            """
        if !query.allRevisions { sql.sql += " AND is_latest" }
        if let platform = query.platform {
            sql.binds.append(platform)
            sql.sql += " AND platform = $\(sql.binds.count)"
        }
        if let period = query.period {
            sql.binds.append(period.description)
            sql.sql += " AND tax_period = $\(sql.binds.count)"
        }
        sql.sql += " ORDER BY record_id, revision LIMIT \(Self.recordPage)"
        return try await withConnection { connection in
            let rows = try await connection.queryOnOpen(sql, logger: logger)
            var page: [StoredRecord] = []
            page.reserveCapacity(Self.recordPage)
            for try await (recordID, revision, body, status) in rows.decode((String, Int, String, String).self) {
                page.append(
                    StoredRecord(
                        recordID: recordID,
                        revision: revision,
                        body: body,
                        quarantined: status == "quarantined"
                    )
                )
            }
            return page
        }
    }
}
