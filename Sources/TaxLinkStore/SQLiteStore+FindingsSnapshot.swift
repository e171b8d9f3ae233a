import GRDB
import GRDBSQLite
import TaxLinkCore

/// The inputs of a reconciliation, read inside one read transaction.
final class SQLiteReconciliationSnapshot: ReconciliationSnapshot {
    let db: Database
    /// Σ settlements per platform and order, read once for a full scan, and whether the scan met the order's
    /// sale.
    private var settled: [String: [String: SettledOrder]]?

    private struct SettledOrder {
        var amount: Int64
        var matched = false
    }

    init(db: Database) {
        self.db = db
    }

    private static let columns = """
        SELECT revision, platform, kind, external_id, original_external_id, seller_id, occurred_at, received_at, status,
            flags, source_difference, cod,
            CASE WHEN kind = 'sale' THEN
                (SELECT clamped_sum(s.amount) FROM settlements s WHERE s.platform = r.platform AND s.order_id = r.external_id)
            END,
            body
        """

    /// The same columns with the settled amount left to ``settledAmounts()``: one grouped read of the settlements
    /// costs far less than a lookup per sale.
    private static let scanColumns = """
        SELECT revision, platform, kind, external_id, original_external_id, seller_id, occurred_at, received_at, status,
            flags, source_difference, cod, NULL, body
        """

    func forEachLatestRecord(platform: String?, period: TaxPeriod?, _ body: (LatestRecordRow) throws -> Void) throws {
        if let platform, let period {
            try each(
                sql: "\(Self.columns) FROM records r WHERE is_latest = 1 AND platform = ? AND tax_period = ?",
                arguments: [platform, period.description],
                body
            )
        } else if let platform {
            try each(
                sql: "\(Self.columns) FROM records r WHERE is_latest = 1 AND platform = ?",
                arguments: [platform],
                body
            )
        } else {
            try loadSettledAmounts()
            try each(sql: "\(Self.scanColumns) FROM records r WHERE +is_latest = 1", arguments: [], full: true, body)
        }
    }

    private func loadSettledAmounts() throws {
        guard settled == nil else { return }
        var result: [String: [String: SettledOrder]] = [:]
        let statement = try db.makeStatement(
            sql: "SELECT platform, order_id, clamped_sum(amount) FROM settlements GROUP BY platform, order_id"
        )
        let cursor = try Row.fetchCursor(statement)
        let raw = statement.sqliteStatement
        while try cursor.next() != nil {
            result[Self.text(raw, 0), default: [:]][Self.text(raw, 1)] = SettledOrder(
                amount: sqlite3_column_int64(raw, 2)
            )
        }
        settled = result
    }

    /// The settled amount of a sale met by the full scan, marking its order as pushed.
    private func settledAmount(platform: String, orderID: String) -> Int64? {
        guard settled?[platform]?[orderID] != nil else { return nil }
        settled?[platform]?[orderID]?.matched = true
        return settled?[platform]?[orderID]?.amount
    }

    func latestRecords(recordIDs: [String], _ body: (LatestRecordRow) throws -> Void) throws {
        for start in stride(from: 0, to: recordIDs.count, by: 500) {
            let chunk = Array(recordIDs[start..<min(start + 500, recordIDs.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            try each(
                sql: "\(Self.columns) FROM records r WHERE record_id IN (\(marks)) AND +is_latest = 1",
                arguments: StatementArguments(chunk),
                body
            )
        }
    }

    /// Steps the statement and reads each row's columns straight from SQLite: a million rows go through
    /// here, and the body is lent to `body` without being copied.
    private func each(
        sql: String,
        arguments: StatementArguments,
        full: Bool = false,
        _ body: (LatestRecordRow) throws -> Void
    ) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let cursor = try Row.fetchCursor(statement)
        let raw = statement.sqliteStatement
        while try cursor.next() != nil {
            guard let kind = RecordKind(rawValue: Self.text(raw, 2)) else { continue }
            let bytes = sqlite3_column_blob(raw, 13)
            let count = Int(sqlite3_column_bytes(raw, 13))
            let platform = Self.text(raw, 1)
            let externalID = Self.text(raw, 3)
            var settledAmount = Self.optionalInteger(raw, 12)
            if full, kind == .sale { settledAmount = self.settledAmount(platform: platform, orderID: externalID) }
            try body(
                LatestRecordRow(
                    revision: Int(sqlite3_column_int64(raw, 0)),
                    platform: platform,
                    kind: kind,
                    externalID: externalID,
                    originalExternalID: Self.optionalText(raw, 4),
                    sellerID: Self.text(raw, 5),
                    occurredAt: Timestamp(unixSeconds: sqlite3_column_int64(raw, 6)),
                    receivedAt: Timestamp(unixSeconds: sqlite3_column_int64(raw, 7)),
                    status: Self.text(raw, 8),
                    flags: Self.text(raw, 9),
                    sourceDifference: Self.optionalInteger(raw, 10),
                    cashOnDelivery: sqlite3_column_int64(raw, 11) != 0,
                    settledAmount: settledAmount,
                    body: UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : count)
                )
            )
        }
    }

    private static func text(_ statement: SQLiteStatement, _ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    private static func optionalText(_ statement: SQLiteStatement, _ column: Int32) -> String? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : text(statement, column)
    }

    private static func optionalInteger(_ statement: SQLiteStatement, _ column: Int32) -> Int64? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    func pendingReturnClaims() throws -> [ReturnClaim] {
        try String.fetchAll(db, sql: "SELECT body FROM return_claims WHERE resolved = 0 ORDER BY record_id").map {
            try ReturnClaim(json: JSONParser.parse(Array($0.utf8)))
        }
    }

    func orphanSettlements() throws -> [OrphanSettlement] {
        guard let settled else {
            return try orphans(
                where: """
                    NOT EXISTS (SELECT 1 FROM orders_seen o
                        WHERE o.platform = s.platform AND o.kind = 'sale' AND o.external_id = s.order_id)
                    """,
                arguments: []
            )
        }
        // After a full scan only the orders whose sale it did not meet can be orphans: look those up.
        var result: [OrphanSettlement] = []
        for (platform, orders) in settled.sorted(by: { $0.key < $1.key }) {
            let unmatched = orders.filter { !$0.value.matched }.keys.sorted()
            for start in stride(from: 0, to: unmatched.count, by: 500) {
                let chunk = Array(unmatched[start..<min(start + 500, unmatched.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                result += try orphans(
                    where: """
                        s.platform = ? AND s.order_id IN (\(marks)) AND NOT EXISTS (SELECT 1 FROM orders_seen o
                            WHERE o.platform = s.platform AND o.kind = 'sale' AND o.external_id = s.order_id)
                        """,
                    arguments: StatementArguments([platform] + chunk)
                )
            }
        }
        return result
    }

    private func orphans(where condition: String, arguments: StatementArguments) throws -> [OrphanSettlement] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT platform, order_id, clamped_sum(amount), COUNT(*), MIN(paid_at) FROM settlements s
                WHERE \(condition) GROUP BY platform, order_id ORDER BY platform, order_id
                """,
            arguments: arguments
        ).map {
            OrphanSettlement(
                platform: $0[0],
                orderID: $0[1],
                amount: $0[2],
                count: $0[3],
                firstPaidAt: Timestamp(unixSeconds: $0[4])
            )
        }
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

    private static func declarationRow(_ value: JSONValue) throws -> Declaration.Row {
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
