import NIOCore
import PostgresNIO
import TaxLinkCore

/// Reading stored records in record id and revision order: one query on one connection, its rows
/// streamed as `body` takes them (PostgresNIO reads from the socket only as fast as they are
/// consumed), along an index that gives the order, so the time is linear in the records read. The
/// connection is held while `body` runs.
extension PostgresStore {
    public func forEachRecord(_ query: RecordQuery, _ body: (StoredRecord) throws -> Void) async throws {
        try await withConnection { connection in
            let rows = try await connection.queryOnOpen(
                Self.recordScan(query, columns: "record_id, revision, body, status"),
                logger: logger
            )
            for try await (recordID, revision, text, status) in rows.decode((String, Int, String, String).self) {
                try body(
                    StoredRecord(
                        recordID: recordID,
                        revision: revision,
                        body: text,
                        quarantined: status == "quarantined"
                    )
                )
            }
        }
    }

    public func forEachRecordBody(_ query: RecordQuery, _ body: (Span<UInt8>) throws -> Void) async throws {
        try await withConnection { connection in
            let rows = try await connection.queryOnOpen(Self.recordScan(query, columns: "body"), logger: logger)
            for try await row in rows {
                // A `text` column comes in binary format: its UTF-8 bytes, as stored.
                var cells = row.makeIterator()
                guard let bytes = cells.next()?.bytes else { continue }
                try bytes.withUnsafeReadableBytes { raw in
                    try body(raw.assumingMemoryBound(to: UInt8.self).span)
                }
            }
        }
    }

    /// The query of a record scan, reading `columns` of the matching records in order.
    ///
    /// Only one revision of a record is the latest (`records_one_latest`), so the latest records are
    /// ordered by `record_id` alone, which that index gives (with a filter, `records_latest` or the
    /// same index); every revision comes in the primary key's order.
    static func recordScan(_ query: RecordQuery, columns: String) -> PostgresQuery {
        var sql: PostgresQuery = "SELECT \(unescaped: columns) FROM records WHERE true"
        if !query.allRevisions { sql.sql += " AND is_latest" }
        if let platform = query.platform {
            sql.binds.append(platform)
            sql.sql += " AND platform = $\(sql.binds.count)"
        }
        if let period = query.period {
            sql.binds.append(period.description)
            sql.sql += " AND tax_period = $\(sql.binds.count)"
        }
        sql.sql += query.allRevisions ? " ORDER BY record_id, revision" : " ORDER BY record_id"
        return sql
    }
}
