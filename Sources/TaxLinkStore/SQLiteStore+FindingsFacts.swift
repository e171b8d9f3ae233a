import GRDB
import GRDBSQLite
import TaxLinkCore

extension SQLiteReconciliationSnapshot {
    /// The identity columns of ``LatestRecordRow`` then ``RecordFactColumns/names``: every one is in the
    /// covering index `records_facts`, so these reads never touch a body.
    private static let factColumns = """
        SELECT revision, platform, kind, external_id, original_external_id, seller_id, occurred_at, received_at, status,
            flags, source_difference, cod, \(RecordFactColumns.list)
        """

    func forEachLatestFacts(_ body: (LatestRecordRow, RecordFacts?) throws -> Void) throws {
        try eachFacts(sql: "\(Self.factColumns) FROM records INDEXED BY records_facts WHERE is_latest = 1", [], body)
    }

    func latestFacts(recordIDs: [String], _ body: (LatestRecordRow, RecordFacts?) throws -> Void) throws {
        try Self.chunks(recordIDs) { chunk, marks in
            try eachFacts(
                sql: """
                    \(Self.factColumns) FROM records INDEXED BY records_facts
                    WHERE record_id IN (\(marks)) AND is_latest = 1
                    """,
                StatementArguments(chunk),
                body
            )
        }
    }

    /// Steps the statement and reads each row's columns straight from SQLite (a million rows go through here).
    private func eachFacts(
        sql: String,
        _ arguments: StatementArguments,
        _ body: (LatestRecordRow, RecordFacts?) throws -> Void
    ) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let cursor = try Row.fetchCursor(statement)
        let raw = statement.sqliteStatement
        while try cursor.next() != nil {
            guard let row = Self.latestRow(raw) else { continue }
            let columns = RecordFactColumns(
                sellerType: Self.optionalText(raw, 12),
                resident: Self.optionalInteger(raw, 13).map { $0 != 0 },
                taxCode: Self.optionalText(raw, 14),
                nationalID: Self.optionalText(raw, 15),
                gross: Self.optionalInteger(raw, 16),
                sellerDiscount: Self.optionalInteger(raw, 17),
                platformDiscount: Self.optionalInteger(raw, 18),
                shippingFee: Self.optionalInteger(raw, 19),
                buyerPaid: Self.optionalInteger(raw, 20),
                platformFees: Self.optionalInteger(raw, 21),
                vat: Self.optionalInteger(raw, 22),
                pit: Self.optionalInteger(raw, 23),
                lines: Self.optionalText(raw, 24)
            )
            try body(row, columns.facts)
        }
    }
}
