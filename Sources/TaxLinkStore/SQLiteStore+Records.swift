import GRDB
import GRDBSQLite
import TaxLinkCore

/// Reading stored records in record id and revision order: one statement stepped in one read
/// transaction, along the table's primary key, so nothing is sorted and the time is linear in the
/// records read (the keyset pages this replaces sorted the latest records again for every page).
extension SQLiteStore {
    public func forEachRecord(_ query: RecordQuery, _ body: (StoredRecord) throws -> Void) async throws {
        try await scanRecords(query) { statement in
            try body(
                StoredRecord(
                    recordID: Self.text(statement, 0),
                    revision: Int(sqlite3_column_int64(statement, 1)),
                    body: Self.text(statement, 2),
                    quarantined: Self.text(statement, 3) == "quarantined"
                )
            )
        }
    }

    public func forEachRecordBody(_ query: RecordQuery, _ body: (Span<UInt8>) throws -> Void) async throws {
        try await scanRecords(query) { statement in
            let bytes = sqlite3_column_blob(statement, 2)?.assumingMemoryBound(to: UInt8.self)
            let count = bytes == nil ? 0 : Int(sqlite3_column_bytes(statement, 2))
            try body(UnsafeBufferPointer(start: bytes, count: count).span)
        }
    }

    /// The statement of a record scan: `record_id, revision, body, status` of the matching records.
    ///
    /// The unary `+` keeps the planner off the indexes on `is_latest`, `platform` and `tax_period`
    /// (an index would find the rows, then sort them all): the table is read in its primary key's
    /// order, which is the order asked for.
    static func recordScan(_ query: RecordQuery) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !query.allRevisions { conditions.append("+is_latest = 1") }
        if let platform = query.platform {
            conditions.append("+platform = ?")
            arguments += [platform]
        }
        if let period = query.period {
            conditions.append("+tax_period = ?")
            arguments += [period.description]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return (
            "SELECT record_id, revision, body, status FROM records\(filter) ORDER BY record_id, revision", arguments
        )
    }

    /// Steps the scan of `query` in one read transaction, handing `row` the statement at each row.
    /// `row` runs on GRDB's reader while this task waits for the read, never at the same time as the
    /// caller's own code.
    private func scanRecords(_ query: RecordQuery, _ row: (SQLiteStatement) throws -> Void) async throws {
        let (sql, arguments) = Self.recordScan(query)
        try await withoutActuallyEscaping(row) { row in
            let lent = LentClosure(row)
            try await pool.read { db in
                guard let row = lent.take() else { return }
                let statement = try db.makeStatement(sql: sql)
                try statement.setArguments(arguments)
                let cursor = try Row.fetchCursor(statement)
                let raw = statement.sqliteStatement
                while try cursor.next() != nil { try row(raw) }
            }
        }
    }

    private static func text(_ statement: SQLiteStatement, _ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        return String(
            decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, column))),
            as: UTF8.self
        )
    }
}
