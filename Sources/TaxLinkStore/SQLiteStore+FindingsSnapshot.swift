import GRDB
import GRDBSQLite
import TaxLinkCore

/// The inputs of a reconciliation, read inside one read transaction.
struct SQLiteReconciliationSnapshot: ReconciliationSnapshot {
    let db: Database

    private static let columns = """
        SELECT revision, platform, kind, external_id, original_external_id, seller_id, occurred_at, received_at, status,
            flags, source_difference, cod, body
        """

    func forEachLatestRecord(
        platform: String?,
        period: TaxPeriod?,
        _ body: (LatestRecordRow, Span<UInt8>) throws -> Void
    ) throws {
        if let platform, let period {
            try each(
                sql: "\(Self.columns) FROM records WHERE is_latest = 1 AND platform = ? AND tax_period = ?",
                arguments: [platform, period.description],
                body
            )
        } else if let platform {
            try each(
                sql: "\(Self.columns) FROM records WHERE is_latest = 1 AND platform = ?",
                arguments: [platform],
                body
            )
        } else {
            try each(sql: "\(Self.columns) FROM records WHERE +is_latest = 1", arguments: [], body)
        }
    }

    func latestRecords(recordIDs: [String], _ body: (LatestRecordRow, Span<UInt8>) throws -> Void) throws {
        try Self.chunks(recordIDs) { chunk, marks in
            try each(
                sql: "\(Self.columns) FROM records WHERE record_id IN (\(marks)) AND +is_latest = 1",
                arguments: StatementArguments(chunk),
                body
            )
        }
    }

    /// Calls `body` with `values` 500 at a time and as many `?` marks, joined by commas.
    static func chunks(_ values: [String], _ body: ([String], String) throws -> Void) throws {
        for start in stride(from: 0, to: values.count, by: 500) {
            let chunk = Array(values[start..<min(start + 500, values.count)])
            try body(chunk, Array(repeating: "?", count: chunk.count).joined(separator: ","))
        }
    }

    /// Steps the statement and reads each row's columns straight from SQLite: a million rows go through
    /// here, and the body is lent to `body` as a span over SQLite's own buffer, without being copied.
    private func each(
        sql: String,
        arguments: StatementArguments,
        _ body: (LatestRecordRow, Span<UInt8>) throws -> Void
    ) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let cursor = try Row.fetchCursor(statement)
        let raw = statement.sqliteStatement
        while try cursor.next() != nil {
            guard let row = Self.latestRow(raw) else { continue }
            let bytes = sqlite3_column_blob(raw, 12)?.assumingMemoryBound(to: UInt8.self)
            let count = bytes == nil ? 0 : Int(sqlite3_column_bytes(raw, 12))
            try body(row, UnsafeBufferPointer(start: bytes, count: count).span)
        }
    }

    /// The identity columns 0 to 11 of the current row as a ``LatestRecordRow`` (revision, platform,
    /// kind, external id, original external id, seller, occurred, received, status, flags, source
    /// difference, cash on delivery); nil when the kind is not one this build knows.
    static func latestRow(_ raw: SQLiteStatement) -> LatestRecordRow? {
        guard let kind = RecordKind(rawValue: text(raw, 2)) else { return nil }
        return LatestRecordRow(
            revision: Int(sqlite3_column_int64(raw, 0)),
            platform: text(raw, 1),
            kind: kind,
            externalID: text(raw, 3),
            originalExternalID: optionalText(raw, 4),
            sellerID: text(raw, 5),
            occurredAt: Timestamp(unixSeconds: sqlite3_column_int64(raw, 6)),
            receivedAt: Timestamp(unixSeconds: sqlite3_column_int64(raw, 7)),
            status: text(raw, 8),
            flags: text(raw, 9),
            sourceDifference: optionalInteger(raw, 10),
            cashOnDelivery: sqlite3_column_int64(raw, 11) != 0
        )
    }

    static func text(_ statement: SQLiteStatement, _ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    static func optionalText(_ statement: SQLiteStatement, _ column: Int32) -> String? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : text(statement, column)
    }

    static func optionalInteger(_ statement: SQLiteStatement, _ column: Int32) -> Int64? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    func pendingReturnClaims() throws -> [ReturnClaim] {
        try String.fetchAll(db, sql: "SELECT body FROM return_claims WHERE resolved = 0 ORDER BY record_id").map {
            try ReturnClaim(json: JSONParser.parse(Array($0.utf8)))
        }
    }

    func forEachSettledOrder(_ body: (SettledOrderRow) throws -> Void) throws {
        let statement = try db.makeStatement(
            sql: "SELECT platform, order_id, clamped_sum(amount) FROM settlements GROUP BY platform, order_id"
        )
        let cursor = try Row.fetchCursor(statement)
        let raw = statement.sqliteStatement
        while try cursor.next() != nil {
            try body(
                SettledOrderRow(
                    platform: Self.text(raw, 0),
                    orderID: Self.text(raw, 1),
                    amount: sqlite3_column_int64(raw, 2)
                )
            )
        }
    }

    func pushedSaleOrders(platform: String, orderIDs: [String]) throws -> Set<String> {
        var pushed = Set<String>()
        try Self.chunks(orderIDs) { chunk, marks in
            pushed.formUnion(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT external_id FROM orders_seen
                        WHERE platform = ? AND kind = 'sale' AND external_id IN (\(marks))
                        """,
                    arguments: StatementArguments([platform] + chunk)
                )
            )
        }
        return pushed
    }

    func settlementSummaries(platform: String, orderIDs: [String]) throws -> [SettlementSummaryRow] {
        var result: [SettlementSummaryRow] = []
        try Self.chunks(orderIDs) { chunk, marks in
            result += try Row.fetchAll(
                db,
                sql: """
                    SELECT platform, order_id, clamped_sum(amount), COUNT(*), MIN(paid_at) FROM settlements
                    WHERE platform = ? AND order_id IN (\(marks)) GROUP BY platform, order_id
                    """,
                arguments: StatementArguments([platform] + chunk)
            ).map {
                SettlementSummaryRow(
                    platform: $0[0],
                    orderID: $0[1],
                    amount: $0[2],
                    count: $0[3],
                    firstPaidAt: Timestamp(unixSeconds: $0[4])
                )
            }
        }
        return result.sorted { $0.orderID < $1.orderID }
    }

    func declarationsInForce() throws -> [Declaration] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT platform, tax_period, rows FROM declarations d
                WHERE version = (SELECT MAX(version) FROM declarations x
                    WHERE x.platform = d.platform AND x.tax_period = d.tax_period)
                ORDER BY platform, tax_period
                """
        )
        return try rows.compactMap { row in
            guard let period = TaxPeriod(row[1] as String) else { return nil }
            let text: String = row[2]
            let rows = try (JSONParser.parse(Array(text.utf8)).arrayValue ?? []).map(Self.declarationRow)
            return Declaration(platform: row[0], period: period, rows: rows)
        }
    }

    /// One row of `declarations.rows` (the PostgreSQL snapshot reads them the same way).
    static func declarationRow(_ value: JSONValue) throws -> Declaration.Row {
        func integer(_ key: String) throws -> Int64 {
            guard case .number(let literal) = value[key], let number = Int64(literal) else {
                throw FindingsStorageError.corrupt("declarations.rows.\(key): expected an integer")
            }
            return number
        }
        return Declaration.Row(
            platformSellerID: value["platform_seller_id"]?.stringValue ?? "",
            sellerName: value["seller_name"]?.stringValue ?? "",
            taxID: value["tax_id"]?.stringValue,
            resident: value["resident"]?.boolValue ?? true,
            group: BusinessGroup(rawValue: value["category"]?.stringValue ?? "") ?? .unknown,
            revenue: try integer("revenue"),
            vat: try integer("vat"),
            pit: try integer("pit")
        )
    }

    func recordRejections() throws -> [MinistryRejection] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT batch_id, record_id, revision, code, message FROM ministry_rejections ORDER BY record_id, batch_id"
        ).map { MinistryRejection(batchID: $0[0], recordID: $0[1], revision: $0[2], code: $0[3], message: $0[4]) }
    }
}
