import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TaxLinkCore

extension SQLiteStore: FindingsStorage {
    public func withReconciliationSnapshot<T: Sendable>(
        _ body: @Sendable (any ReconciliationSnapshot) throws -> T
    ) async throws -> T {
        try await pool.read { db in try body(SQLiteReconciliationSnapshot(db: db)) }
    }

    public func syncFindings(_ findings: [FindingContent], at: Timestamp, actor: String) async throws
        -> FindingsSyncSummary
    {
        try await pool.write { db in
            var known: [String: (fingerprint: String, status: String, active: Bool)] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, fingerprint, status, active FROM findings")
            while let row = try rows.next() { known[row[0]] = (row[1], row[2], row[3]) }
            var summary = FindingsSyncSummary()
            var seen = Set<String>()
            seen.reserveCapacity(findings.count)
            let history = try db.cachedStatement(
                sql: """
                    INSERT INTO finding_history (finding_id, at, from_status, to_status, actor, note, reason)
                    VALUES (?, ?, ?, ?, ?, NULL, ?)
                    """
            )
            for finding in findings where seen.insert(finding.id).inserted {
                let columns = FindingColumns(finding)
                guard let stored = known[finding.id] else {
                    try db.cachedStatement(sql: FindingColumns.insertSQL).execute(
                        arguments: StatementArguments(columns.values + [at.seconds, at.seconds])
                    )
                    try history.execute(arguments: [finding.id, at.seconds, nil, "open", actor, "detected"])
                    summary.opened += 1
                    continue
                }
                if !stored.active {
                    let reopen = stored.status == FindingStatus.resolved.rawValue
                    try db.cachedStatement(sql: FindingColumns.updateSQL(reopen: reopen)).execute(
                        arguments: columns.updateArguments(at: at, id: finding.id)
                    )
                    if reopen {
                        try history.execute(arguments: [
                            finding.id, at.seconds, stored.status, "open", actor, "reappeared",
                        ])
                        summary.reopened += 1
                    } else {
                        summary.updated += 1
                    }
                } else if stored.fingerprint != columns.fingerprint {
                    try db.cachedStatement(sql: FindingColumns.updateSQL(reopen: false)).execute(
                        arguments: columns.updateArguments(at: at, id: finding.id)
                    )
                    summary.updated += 1
                } else {
                    summary.unchanged += 1
                }
            }
            let vanished = known.filter { $0.value.active && !seen.contains($0.key) }.sorted { $0.key < $1.key }
            for (id, stored) in vanished {
                if stored.status == FindingStatus.resolved.rawValue {
                    try db.execute(sql: "UPDATE findings SET active = 0 WHERE id = ?", arguments: [id])
                } else {
                    try db.execute(
                        sql: """
                            UPDATE findings SET active = 0, status = 'resolved', resolution = 'superseded', updated_at = ?
                            WHERE id = ?
                            """,
                        arguments: [at.seconds, id]
                    )
                    try history.execute(arguments: [id, at.seconds, stored.status, "resolved", actor, "superseded"])
                }
                summary.superseded += 1
            }
            return summary
        }
    }

    public func releaseCorrectedRecords() async throws -> Int {
        let conditions = DiscrepancyCode.allCases.filter(\.quarantines).map { "instr(flags, '\($0.rawValue)') = 0" }
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE records SET status = 'ready'
                    WHERE is_latest = 1 AND status = 'quarantined' AND \(conditions.joined(separator: " AND "))
                    """
            )
            return db.changesCount
        }
    }

    public func findings(_ query: FindingQuery) async throws -> FindingPage {
        let (filter, arguments) = FindingColumns.filter(query)
        let order =
            query.sort == .amount
            ? "amount_at_risk DESC, code, platform, record_id, id"
            : "detected_at DESC, amount_at_risk DESC, code, platform, record_id, id"
        let page = " LIMIT ? OFFSET ?"
        let pageArguments = arguments + [query.limit.map { max(0, $0) } ?? -1, max(0, query.offset)]
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM findings\(filter)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM findings\(filter) ORDER BY \(order)\(page)",
                arguments: pageArguments
            )
            return FindingPage(findings: try rows.map(FindingColumns.decode), total: total)
        }
    }

    public func finding(id: String) async throws -> StoredFinding? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM findings WHERE id = ?", arguments: [id]).map(FindingColumns.decode)
        }
    }

    public func findingHistory(ids: [String]) async throws -> [String: [FindingHistoryEntry]] {
        try await pool.read { db in
            var result: [String: [FindingHistoryEntry]] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT finding_id, at, from_status, to_status, actor, note, reason FROM finding_history
                        WHERE finding_id IN (\(marks)) ORDER BY finding_id, seq
                        """,
                    arguments: StatementArguments(Array(chunk))
                )
                for row in rows {
                    let entry = FindingHistoryEntry(
                        at: Timestamp(unixSeconds: row[1]),
                        from: (row[2] as String?).flatMap(FindingStatus.init),
                        to: FindingStatus(rawValue: row[3]) ?? .open,
                        actor: row[4],
                        note: row[5],
                        reason: row[6]
                    )
                    result[row[0], default: []].append(entry)
                }
            }
            return result
        }
    }

    public func changeFindingStatus(
        id: String,
        to status: FindingStatus,
        note: String,
        actor: String,
        at: Timestamp
    ) async throws -> StoredFinding {
        try await pool.write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT status FROM findings WHERE id = ?", arguments: [id])
            else { throw FindingsStorageError.notFound(id) }
            let current = FindingStatus(rawValue: text) ?? .open
            guard current.allowsChange(to: status) else {
                throw FindingsStorageError.invalidTransition(from: current, to: status)
            }
            try db.execute(
                sql: "UPDATE findings SET status = ?, resolution = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, status == .resolved ? note : nil, at.seconds, id]
            )
            try db.execute(
                sql: """
                    INSERT INTO finding_history (finding_id, at, from_status, to_status, actor, note, reason)
                    VALUES (?, ?, ?, ?, ?, ?, 'analyst')
                    """,
                arguments: [id, at.seconds, current.rawValue, status.rawValue, actor, note]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM findings WHERE id = ?", arguments: [id]) else {
                throw FindingsStorageError.notFound(id)
            }
            return try FindingColumns.decode(row)
        }
    }

    public func findingTotals(_ query: FindingQuery, by dimension: FindingDimension) async throws -> [FindingTotal] {
        let (filter, arguments) = FindingColumns.filter(query)
        let column = dimension.rawValue
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(column), COUNT(*), clamped_sum(amount_at_risk) FROM findings\(filter)
                    GROUP BY \(column) ORDER BY clamped_sum(amount_at_risk) DESC, \(column)
                    """,
                arguments: arguments
            ).map { FindingTotal(key: $0[0], count: $0[1], amountAtRisk: $0[2]) }
        }
    }
}

/// The columns of a finding, and the SQL that reads and writes them.
private struct FindingColumns {
    let finding: FindingContent
    /// A digest of the content: a stored finding whose fingerprint matches needs no write.
    let fingerprint: String

    static let contentColumns = [
        "id", "code", "scope", "severity", "platform", "tax_period", "platform_seller_id", "category", "tax_id",
        "record_id", "external_id", "revision", "expected", "actual", "amount_at_risk", "detail", "fingerprint",
    ]

    static let insertSQL = """
        INSERT INTO findings (\(contentColumns.joined(separator: ", ")), status, resolution, active, detected_at, updated_at)
        VALUES (\(Array(repeating: "?", count: contentColumns.count).joined(separator: ", ")), 'open', NULL, 1, ?, ?)
        """

    static func updateSQL(reopen: Bool) -> String { reopen ? reopenSQL : refreshSQL }

    private static let refreshSQL = makeUpdateSQL(reopen: false)
    private static let reopenSQL = makeUpdateSQL(reopen: true)

    private static func makeUpdateSQL(reopen: Bool) -> String {
        let assignments = contentColumns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
        let status = reopen ? ", status = 'open', resolution = NULL" : ""
        return "UPDATE findings SET \(assignments), active = 1\(status), updated_at = ? WHERE id = ?"
    }

    init(_ finding: FindingContent) {
        self.finding = finding
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        func add(_ text: String?) {
            if let text { buffer.append(contentsOf: text.utf8) } else { buffer.append(0) }
            buffer.append(0x1F)
        }
        add(finding.id)
        add(finding.code.rawValue)
        add(finding.scope.rawValue)
        add(finding.severity.rawValue)
        add(finding.platform)
        add(finding.taxPeriod)
        add(finding.platformSellerID)
        add(finding.category)
        add(finding.taxID)
        add(finding.recordID)
        add(finding.externalID)
        add(finding.revision.map(String.init))
        CanonicalJSON.write(finding.expected, to: &buffer)
        buffer.append(0x1F)
        CanonicalJSON.write(finding.actual, to: &buffer)
        buffer.append(0x1F)
        add(String(finding.amountAtRisk))
        add(finding.detail)
        fingerprint = hexString(SHA256.hash(data: buffer))
    }

    /// The content columns' values, in ``contentColumns`` order, the fingerprint last.
    var values: [(any DatabaseValueConvertible)?] {
        [
            finding.id, finding.code.rawValue, finding.scope.rawValue, finding.severity.rawValue, finding.platform,
            finding.taxPeriod, finding.platformSellerID, finding.category, finding.taxID, finding.recordID,
            finding.externalID, finding.revision, CanonicalJSON.string(finding.expected),
            CanonicalJSON.string(finding.actual), finding.amountAtRisk, finding.detail, fingerprint,
        ]
    }

    /// The arguments of ``updateSQL(reopen:)``: every content column but the id, the time, then the id.
    func updateArguments(at: Timestamp, id: String) -> StatementArguments {
        var arguments = Array(values.dropFirst())
        arguments.append(at.seconds)
        arguments.append(id)
        return StatementArguments(arguments)
    }

    static func decode(_ row: Row) throws -> StoredFinding {
        let code: String = row["code"]
        guard let discrepancy = DiscrepancyCode(rawValue: code) else {
            throw FindingsStorageError.corrupt("findings.code: unknown code \(code)")
        }
        let expected: String = row["expected"]
        let actual: String = row["actual"]
        let content = FindingContent(
            id: row["id"],
            code: discrepancy,
            scope: FindingScope(rawValue: row["scope"]) ?? .record,
            severity: FindingSeverity(rawValue: row["severity"]) ?? .info,
            platform: row["platform"],
            taxPeriod: row["tax_period"],
            platformSellerID: row["platform_seller_id"],
            category: row["category"],
            taxID: row["tax_id"],
            recordID: row["record_id"],
            externalID: row["external_id"],
            revision: row["revision"],
            expected: try JSONParser.parse(Array(expected.utf8)),
            actual: try JSONParser.parse(Array(actual.utf8)),
            amountAtRisk: row["amount_at_risk"],
            detail: row["detail"]
        )
        return StoredFinding(
            content: content,
            status: FindingStatus(rawValue: row["status"]) ?? .open,
            detectedAt: Timestamp(unixSeconds: row["detected_at"]),
            updatedAt: Timestamp(unixSeconds: row["updated_at"]),
            active: row["active"],
            resolution: row["resolution"]
        )
    }

    /// The WHERE clause of a query's filters.
    static func filter(_ query: FindingQuery) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func any(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            conditions.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
            arguments += StatementArguments(values)
        }
        any("platform", query.platform.map { [$0] } ?? [])
        any("tax_period", query.period.map { [$0] } ?? [])
        any("code", query.codes.map(\.rawValue))
        any("severity", query.severities.map(\.rawValue))
        any("status", query.statuses.map(\.rawValue))
        any("platform_seller_id", query.seller.map { [$0] } ?? [])
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lower-case hex of a digest.
private func hexString(_ digest: SHA256.Digest) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    for byte in digest {
        bytes.append(hexDigits[Int(byte >> 4)])
        bytes.append(hexDigits[Int(byte & 0xF)])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The inputs of a reconciliation, read inside one read transaction.
private final class SQLiteReconciliationSnapshot: ReconciliationSnapshot {
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
