import GRDB
import GRDBSQLite
import TaxLinkCore

/// Multi-row statements on SQLite: `prefix (?, …), (?, …), … suffix`, as many rows per statement as
/// the connection's limit on bound values allows (32,766 by default, so a chunk of records of 32
/// columns is one statement up to 1,023 rows). The full-size statement is prepared once and cached.
enum SQLiteMultiRow {
    /// Runs `prefix VALUES-rows suffix` over `rows` (each the same number of values).
    static func execute(
        _ db: Database,
        prefix: String,
        suffix: String = "",
        rows: [[(any DatabaseValueConvertible)?]]
    ) throws {
        guard let width = rows.first?.count, width > 0 else { return }
        let limit = Int(sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
        let perStatement = max(1, limit / width)
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let slice = rows[start..<min(start + perStatement, rows.count)]
            let marks = Array(repeating: row, count: slice.count).joined(separator: ",")
            // Only full-size statements are cached: a cached one of every remainder size would keep up to a
            // thousand large prepared statements alive for the connection's life.
            let sql = "\(prefix) \(marks) \(suffix)"
            let statement = try slice.count == perStatement ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql)
            try statement.execute(arguments: StatementArguments(slice.joined()))
        }
    }
}

/// New revisions of records as the SQLite `records` table takes them, the narrow columns beside the body.
enum SQLiteRecordRows {
    private static let prefix = """
        INSERT INTO records (record_id, revision, platform, kind, external_id, original_external_id, seller_id,
            tax_period, occurred_at, received_at, feed_id, status, flags, content_sha256, source_difference, cod,
            line_item_ids, body, is_latest, \(RecordFactColumns.list)) VALUES
        """

    /// Inserts `rows` (in chunk order; the last revision of each record in them is its latest).
    static func insert(_ rows: [(prepared: PreparedRecord, revision: Int)], into db: Database) throws {
        var last: [String: Int] = [:]
        for (index, row) in rows.enumerated() { last[row.prepared.adapted.record.recordID] = index }
        let values = rows.enumerated().map { index, row in
            Self.values(row.prepared, revision: row.revision, isLatest: last[row.prepared.adapted.record.recordID] == index)
        }
        try SQLiteMultiRow.execute(db, prefix: prefix, rows: values)
    }

    private static func values(
        _ prepared: PreparedRecord,
        revision: Int,
        isLatest: Bool
    ) -> [(any DatabaseValueConvertible)?] {
        let adapted = prepared.adapted
        let record = adapted.record
        let facts = prepared.facts
        return [
            record.recordID, revision, record.platform, record.kind.rawValue, record.externalID,
            record.originalExternalID, record.seller.platformSellerID, record.taxPeriod.description,
            record.occurredAt.seconds, record.source.receivedAt.seconds, record.source.feedID,
            record.isQuarantined ? "quarantined" : "ready", record.flags.map(\.rawValue).joined(separator: ","),
            prepared.contentSHA256, adapted.sourceDifference, adapted.cashOnDelivery, adapted.lineItemIDsJSON,
            prepared.body(revision: revision), isLatest, facts.sellerType.rawValue, facts.resident, facts.taxCode,
            facts.nationalID, facts.amounts.gross, facts.amounts.sellerDiscount, facts.amounts.platformDiscount,
            facts.amounts.shippingFee, facts.amounts.buyerPaid, facts.amounts.platformFees, facts.withholding.vat,
            facts.withholding.pit, facts.linesText,
        ]
    }
}
